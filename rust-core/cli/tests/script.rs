//! `scripts/qorgan.sh`: paths from the caller's directory; a word before the first build.
//! Run with a stand-in `cargo` (which "builds" a stand-in binary) so that no real build runs.

use std::os::unix::fs::PermissionsExt as _;
use std::path::Path;
use std::process::Command;

#[test]
fn the_script_runs_from_the_callers_directory_and_says_when_it_builds() {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../scripts/qorgan.sh");
    let tmp = std::env::temp_dir().join(format!("qorgan-script-{}", std::process::id()));
    let bin_dir = tmp.join("bin");
    let target = tmp.join("target");
    let caller = tmp.join("caller");
    for d in [&bin_dir, &caller] {
        std::fs::create_dir_all(d).unwrap();
    }
    // cargo: makes target/release/qorgan, which prints its directory and arguments.
    let cargo = bin_dir.join("cargo");
    std::fs::write(
        &cargo,
        format!(
            "#!/bin/sh\necho \"cargo $*\"\nmkdir -p {t}/release\nprintf '#!/bin/sh\\necho \"cwd=$(pwd) args=$*\"\\n' > {t}/release/qorgan\nchmod +x {t}/release/qorgan\n",
            t = target.display()
        ),
    )
    .unwrap();
    std::fs::set_permissions(&cargo, std::fs::Permissions::from_mode(0o755)).unwrap();
    let run = || {
        Command::new("bash")
            .arg(&script)
            .args(["audit", "certs/my.pem"])
            .current_dir(&caller)
            .env("PATH", format!("{}:/usr/bin:/bin", bin_dir.display()))
            .env("CARGO_TARGET_DIR", &target)
            .output()
            .unwrap()
    };
    let first = run();
    let out = String::from_utf8_lossy(&first.stdout);
    let err = String::from_utf8_lossy(&first.stderr);
    assert!(first.status.success(), "{out}{err}");
    assert!(out.contains(&format!("cwd={}", caller.display())), "{out}");
    assert!(out.contains("args=audit certs/my.pem"), "{out}");
    assert!(err.contains("first time"), "{err}");
    assert!(
        !err.contains("--quiet"),
        "the first build shows cargo's progress: {err}"
    );
    let second = run();
    let err = String::from_utf8_lossy(&second.stderr);
    assert!(!err.contains("first time"), "{err}");
    // No command, or only global options: the audit (README's first command, in Kazakh too).
    for (args, want) in [
        (vec![], "args=audit"),
        (vec!["--lang", "kk"], "args=--lang kk audit"),
        (vec!["--lang", "ru", "check"], "args=--lang ru check"),
    ] {
        let o = Command::new("bash")
            .arg(&script)
            .args(&args)
            .current_dir(&caller)
            .env("PATH", format!("{}:/usr/bin:/bin", bin_dir.display()))
            .env("CARGO_TARGET_DIR", &target)
            .output()
            .unwrap();
        let out = String::from_utf8_lossy(&o.stdout);
        assert!(out.trim_end().ends_with(want), "{args:?}: {out}");
    }
    let _ = std::fs::remove_dir_all(&tmp);
}
