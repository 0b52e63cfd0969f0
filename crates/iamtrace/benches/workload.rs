//! The benchmark workload: realistic scenarios generated deterministically.
#![expect(clippy::indexing_slicing, reason = "indexes fixed tables with values reduced modulo their length")]

/// A small deterministic generator (no dependency needed for a benchmark).
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        self.0 >> 33
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

const SERVICES: [&str; 6] = ["s3", "ec2", "dynamodb", "sqs", "kms", "logs"];

fn statement(r: &mut Lcg, i: usize, deny: bool) -> String {
    let svc = SERVICES[r.below(6) as usize];
    let action = match r.below(4) {
        0 => format!("\"{svc}:*\""),
        1 => format!("[\"{svc}:Get*\", \"{svc}:List*\", \"{svc}:Describe*\"]"),
        2 => format!("[\"{svc}:PutObject\", \"{svc}:GetObject\", \"{svc}:DeleteObject\"]"),
        _ => format!("\"{svc}:*Item*\""),
    };
    let resource = match (svc, r.below(3)) {
        ("s3", 0) => format!("[\"arn:aws:s3:::bucket-{i}\", \"arn:aws:s3:::bucket-{i}/*\"]"),
        ("s3", 1) => "\"arn:aws:s3:::shared-data/${aws:username}/*\"".to_owned(),
        (_, 2) => "\"*\"".to_owned(),
        _ => format!("\"arn:aws:{svc}:us-east-1:111122223333:*-{i}\""),
    };
    let condition = match r.below(5) {
        0 => format!(",\n      \"Condition\": {{\"StringEquals\": {{\"aws:PrincipalTag/team\": [\"team-{i}\", \"platform\"]}}}}"),
        1 => ",\n      \"Condition\": {\"IpAddress\": {\"aws:SourceIp\": [\"203.0.113.0/24\", \"198.51.100.0/24\"]}, \"Bool\": {\"aws:SecureTransport\": \"true\"}}".to_owned(),
        2 => ",\n      \"Condition\": {\"StringNotEqualsIfExists\": {\"aws:RequestedRegion\": [\"us-east-1\", \"eu-west-1\"]}, \"Null\": {\"aws:TokenIssueTime\": \"false\"}}".to_owned(),
        3 => ",\n      \"Condition\": {\"ForAnyValue:StringLike\": {\"aws:TagKeys\": [\"env*\", \"team*\"]}, \"DateLessThan\": {\"aws:CurrentTime\": \"2027-01-01T00:00:00Z\"}}".to_owned(),
        _ => String::new(),
    };
    let effect = if deny { "Deny" } else { "Allow" };
    format!("    {{\n      \"Sid\": \"Stmt{i}\",\n      \"Effect\": \"{effect}\",\n      \"Action\": {action},\n      \"Resource\": {resource}{condition}\n    }}")
}

fn policy(r: &mut Lcg, statements: usize) -> String {
    let body: Vec<String> = (0..statements)
        .map(|i| {
            let deny = r.below(8) == 0;
            statement(r, i, deny)
        })
        .collect();
    format!("{{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": [\n{}\n  ]\n}}", body.join(",\n"))
}

fn scenario(r: &mut Lcg, n: usize) -> String {
    let count = 1 + r.below(3) as usize;
    let identities: Vec<String> = (0..count)
        .map(|_| {
            let n = 5 + r.below(26) as usize;
            policy(r, n)
        })
        .collect();
    let bucket = format!(
        "{{\"Version\": \"2012-10-17\", \"Statement\": [\
         {{\"Sid\": \"TLS\", \"Effect\": \"Deny\", \"Principal\": \"*\", \"Action\": \"s3:*\", \"Resource\": [\"arn:aws:s3:::bucket-{n}\", \"arn:aws:s3:::bucket-{n}/*\"], \"Condition\": {{\"Bool\": {{\"aws:SecureTransport\": \"false\"}}}}}},\
         {{\"Sid\": \"Team\", \"Effect\": \"Allow\", \"Principal\": {{\"AWS\": [\"arn:aws:iam::111122223333:role/app/AppRole\", \"444455556666\"]}}, \"Action\": [\"s3:GetObject\", \"s3:PutObject\"], \"Resource\": \"arn:aws:s3:::bucket-{n}/*\"}},\
         {{\"Sid\": \"Org\", \"Effect\": \"Allow\", \"Principal\": \"*\", \"Action\": \"s3:ListBucket\", \"Resource\": \"arn:aws:s3:::bucket-{n}\", \"Condition\": {{\"StringEquals\": {{\"aws:PrincipalOrgID\": \"o-example\"}}}}}}]}}"
    );
    let boundary_len = 5 + r.below(6) as usize;
    let boundary = policy(r, boundary_len);
    let scp = "{\"Version\": \"2012-10-17\", \"Statement\": [{\"Effect\": \"Allow\", \"Action\": \"*\", \"Resource\": \"*\"}, {\"Effect\": \"Deny\", \"NotAction\": [\"iam:*\", \"sts:*\", \"support:*\"], \"Resource\": \"*\", \"Condition\": {\"StringNotEquals\": {\"aws:RequestedRegion\": [\"us-east-1\", \"eu-west-1\"]}}}]}";
    let svc = SERVICES[r.below(6) as usize];
    let (action, resource) = match svc {
        "s3" => ("s3:GetObject".to_owned(), format!("arn:aws:s3:::bucket-{n}/reports/{n}.csv")),
        _ => (format!("{svc}:GetItem"), format!("arn:aws:{svc}:us-east-1:111122223333:table-{n}")),
    };
    format!(
        "{{\"name\": \"bench-{n}\",\n\"policies\": {{\"identity\": [{}],\n\"resource\": {bucket},\n\"boundary\": {boundary},\n\"scp\": [{scp}]}},\n\
         \"request\": {{\"principal\": \"arn:aws:sts::111122223333:assumed-role/AppRole/worker-{n}\", \"session_parent_arn\": \"arn:aws:iam::111122223333:role/app/AppRole\",\
         \"action\": \"{action}\", \"resource\": \"{resource}\", \"resource_account\": \"111122223333\",\
         \"context\": {{\"aws:SourceIp\": \"203.0.113.{n}\", \"aws:SecureTransport\": \"true\", \"aws:RequestedRegion\": \"us-east-1\", \"aws:PrincipalTag/team\": \"team-{}\", \"aws:TagKeys\": [\"env\", \"owner\"], \"aws:CurrentTime\": \"2026-11-28T12:00:00Z\"}}}}}}",
        identities.join(",\n"),
        n % 7
    )
}

pub fn workload() -> Vec<String> {
    let mut r = Lcg(42);
    (0..64).map(|n| scenario(&mut r, n)).collect()
}
