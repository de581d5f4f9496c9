//! Every guest was built, and as a component (not a core module).

/// `\0asm`, then the component-model version 0x0d 0x00 and layer 0x01 0x00.
const COMPONENT_HEADER: [u8; 8] = [0x00, 0x61, 0x73, 0x6d, 0x0d, 0x00, 0x01, 0x00];

#[test]
fn every_guest_is_a_component() {
    let names: Vec<&str> = agentsh_guests::names().collect();
    assert_eq!(
        names,
        [
            "fs-main",
            "csv-report",
            "shell-agent",
            "codemode-agent",
            "trivial",
            "hostile",
            "fs-ops",
            "fs-agent",
            "needs-unknown"
        ]
    );
    for (name, path) in agentsh_guests::ALL {
        assert!(std::path::Path::new(path).is_absolute(), "{name}: {path}");
        let bytes = std::fs::read(path).unwrap_or_else(|e| panic!("{name}: {path}: {e}"));
        assert!(bytes.len() > COMPONENT_HEADER.len(), "{name} is empty");
        assert_eq!(bytes[..8], COMPONENT_HEADER, "{name} is not a component");
        assert_eq!(agentsh_guests::bytes(name).unwrap(), bytes);
        assert_eq!(agentsh_guests::path(name), Some(*path));
    }
    assert_eq!(agentsh_guests::CSV_REPORT, agentsh_guests::ALL[1].1);
}

#[test]
fn unknown_names() {
    assert_eq!(agentsh_guests::path("no-such-guest"), None);
    let err = agentsh_guests::bytes("no-such-guest").unwrap_err();
    assert_eq!(err.kind(), std::io::ErrorKind::NotFound);
}

#[test]
fn agents_export_run_and_import_the_sandbox() {
    // The component's embedded names: an agent exports `run` and imports the sandbox
    // interfaces it uses; the plain command exports wasi:cli/run instead.
    let has =
        |bytes: &[u8], needle: &str| bytes.windows(needle.len()).any(|w| w == needle.as_bytes());
    let shell = agentsh_guests::bytes("shell-agent").unwrap();
    assert!(has(&shell, "agentsh:sandbox/shell@0.1.0"));
    assert!(has(&shell, "agentsh:sandbox/log@0.1.0"));
    let codemode = agentsh_guests::bytes("codemode-agent").unwrap();
    assert!(has(&codemode, "agentsh:sandbox/tools@0.1.0"));
    let fs_main = agentsh_guests::bytes("fs-main").unwrap();
    assert!(has(&fs_main, "wasi:cli/run@"));
    assert!(!has(&fs_main, "agentsh:sandbox"));
}
