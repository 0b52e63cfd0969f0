#[test]
fn dump() {
    let name = std::env::var("CT").unwrap();
    let text = std::fs::read_to_string(format!("tests/cloudtrail/{name}.json")).unwrap();
    let out = iamtrace::cloudtrail::import(&text);
    println!("{}", serde_json::to_string_pretty(&out).unwrap());
}
