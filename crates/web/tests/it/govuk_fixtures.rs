//! Our GOV.UK component macros give the same HTML as GOV.UK Frontend for the same parameters:
//! every fixture in the `fixtures.json` files that ship in the govuk-frontend npm package is
//! rendered through our macro and compared with the fixture's HTML. The comparison ignores
//! formatting only: whitespace between and around tags, the order of attributes, and how
//! characters are escaped.

use std::collections::BTreeMap;
use std::path::PathBuf;

/// Components, with the macro that renders them.
const COMPONENTS: &[(&str, &str)] = &[
    ("back-link", "govukBackLink"),
    ("button", "govukButton"),
    ("checkboxes", "govukCheckboxes"),
    ("date-input", "govukDateInput"),
    ("details", "govukDetails"),
    ("error-message", "govukErrorMessage"),
    ("error-summary", "govukErrorSummary"),
    ("fieldset", "govukFieldset"),
    ("hint", "govukHint"),
    ("input", "govukInput"),
    ("textarea", "govukTextarea"),
    ("inset-text", "govukInsetText"),
    ("label", "govukLabel"),
    ("notification-banner", "govukNotificationBanner"),
    ("phase-banner", "govukPhaseBanner"),
    ("radios", "govukRadios"),
    ("select", "govukSelect"),
    ("skip-link", "govukSkipLink"),
    ("summary-list", "govukSummaryList"),
    ("tag", "govukTag"),
    ("warning-text", "govukWarningText"),
];

/// Fixtures whose output we knowingly do not reproduce, with the reason. The test fails if one of
/// these starts to match (so the list stays true) or if any other fixture differs.
const KNOWN_DIFFERENCES: &[(&str, &str, &str)] = &[];

fn components_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("assets/node_modules/govuk-frontend/dist/govuk/components")
}

fn decode_entities(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(i) = rest.find('&') {
        out.push_str(&rest[..i]);
        rest = &rest[i..];
        let Some(end) = rest.find(';').filter(|e| *e <= 10) else {
            out.push('&');
            rest = &rest[1..];
            continue;
        };
        let entity = &rest[1..end];
        let decoded = match entity {
            "amp" => Some('&'),
            "lt" => Some('<'),
            "gt" => Some('>'),
            "quot" => Some('"'),
            "apos" => Some('\''),
            "nbsp" => Some('\u{a0}'),
            e if e.starts_with("#x") || e.starts_with("#X") => u32::from_str_radix(&e[2..], 16)
                .ok()
                .and_then(char::from_u32),
            e if e.starts_with('#') => e[1..].parse().ok().and_then(char::from_u32),
            _ => None,
        };
        match decoded {
            Some(c) => {
                out.push(c);
                rest = &rest[end + 1..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

fn collapse(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Parses a tag's inside (`div class="a" id=b hidden`) into a canonical string.
fn canonical_tag(inner: &str) -> String {
    let closing = inner.starts_with('/');
    let inner = inner.trim_start_matches('/').trim_end_matches('/').trim();
    let name_end = inner
        .find(|c: char| c.is_whitespace())
        .unwrap_or(inner.len());
    let name = inner[..name_end].to_lowercase();
    let mut attrs: Vec<String> = Vec::new();
    let b = &inner.as_bytes()[name_end..];
    let mut i = 0;
    while i < b.len() {
        while i < b.len() && (b[i] as char).is_whitespace() {
            i += 1;
        }
        if i >= b.len() {
            break;
        }
        let start = i;
        while i < b.len() && b[i] != b'=' && !(b[i] as char).is_whitespace() {
            i += 1;
        }
        let key = String::from_utf8_lossy(&b[start..i]).to_lowercase();
        while i < b.len() && (b[i] as char).is_whitespace() {
            i += 1;
        }
        if i < b.len() && b[i] == b'=' {
            i += 1;
            while i < b.len() && (b[i] as char).is_whitespace() {
                i += 1;
            }
            let value = if i < b.len() && (b[i] == b'"' || b[i] == b'\'') {
                let q = b[i];
                i += 1;
                let vs = i;
                while i < b.len() && b[i] != q {
                    i += 1;
                }
                let v = String::from_utf8_lossy(&b[vs..i]).into_owned();
                i += 1;
                v
            } else {
                let vs = i;
                while i < b.len() && !(b[i] as char).is_whitespace() {
                    i += 1;
                }
                String::from_utf8_lossy(&b[vs..i]).into_owned()
            };
            attrs.push(format!("{key}=\"{}\"", collapse(&decode_entities(&value))));
        } else {
            attrs.push(key);
        }
    }
    attrs.sort();
    format!(
        "<{}{}{}>",
        if closing { "/" } else { "" },
        name,
        attrs.iter().map(|a| format!(" {a}")).collect::<String>()
    )
}

/// HTML as a list of canonical tokens: tags and non-empty text runs.
fn tokens(html: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = html;
    while !rest.is_empty() {
        match rest.find('<') {
            Some(0) => {
                let end = rest.find('>').unwrap_or(rest.len() - 1);
                out.push(canonical_tag(&rest[1..end]));
                rest = &rest[end + 1..];
            }
            Some(i) => {
                let text = collapse(&decode_entities(&rest[..i]));
                if !text.is_empty() {
                    out.push(text);
                }
                rest = &rest[i..];
            }
            None => {
                let text = collapse(&decode_entities(rest));
                if !text.is_empty() {
                    out.push(text);
                }
                rest = "";
            }
        }
    }
    out
}

fn environment() -> minijinja::Environment<'static> {
    let mut env = minijinja::Environment::new();
    env.set_auto_escape_callback(|name| {
        if name.ends_with(".html") {
            minijinja::AutoEscape::Html
        } else {
            minijinja::AutoEscape::None
        }
    });
    env.set_undefined_behavior(minijinja::UndefinedBehavior::Chainable);
    web::govuk::add_templates(&mut env);
    env
}

#[test]
fn the_normaliser_ignores_only_formatting() {
    assert_eq!(
        tokens("<p class=\"a  b\"  id='x'>\n  Hello&#39;s  </p>"),
        tokens("<p id=\"x\" class=\"a b\">Hello&#x27;s</p>")
    );
    assert_ne!(
        tokens("<p class=\"a\">Hi</p>"),
        tokens("<p class=\"b\">Hi</p>")
    );
    assert_ne!(tokens("<p>Hi</p>"), tokens("<p>Hi there</p>"));
    assert_ne!(tokens("<input checked>"), tokens("<input>"));
}

#[test]
fn our_macros_match_the_govuk_frontend_fixtures() {
    let dir = components_dir();
    assert!(
        dir.exists(),
        "govuk-frontend is not installed at {} (the web crate's build runs npm ci)",
        dir.display()
    );
    let env = environment();
    let mut failures: Vec<(String, String, String)> = Vec::new();
    let mut counts: BTreeMap<&str, (usize, usize)> = BTreeMap::new();
    for (component, macro_name) in COMPONENTS {
        let path = dir.join(component).join("fixtures.json");
        let json: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
        let src = format!(
            "{{% from \"govuk/macros.html\" import {macro_name} %}}{{{{ {macro_name}(params) }}}}"
        );
        for fixture in json["fixtures"].as_array().unwrap() {
            let name = fixture["name"].as_str().unwrap().to_string();
            let entry = counts.entry(component).or_default();
            entry.1 += 1;
            let params = minijinja::Value::from_serialize(&fixture["options"]);
            let ours = env.render_named_str("fixture.html", &src, minijinja::context! { params });
            let theirs = fixture["html"].as_str().unwrap();
            match ours {
                Ok(html) if tokens(&html) == tokens(theirs) => entry.0 += 1,
                Ok(html) => failures.push((
                    component.to_string(),
                    name,
                    format!(
                        "ours:   {}\ntheirs: {}",
                        tokens(&html).join(""),
                        tokens(theirs).join("")
                    ),
                )),
                Err(e) => {
                    failures.push((component.to_string(), name, format!("render error: {e:#}")))
                }
            }
        }
    }
    let mut total = (0, 0);
    for (c, (pass, all)) in &counts {
        println!("{c}: {pass}/{all} fixtures match");
        total.0 += pass;
        total.1 += all;
    }
    println!("all components: {}/{} fixtures match", total.0, total.1);
    let unexpected: Vec<_> = failures
        .iter()
        .filter(|(c, n, _)| {
            !KNOWN_DIFFERENCES
                .iter()
                .any(|(kc, kn, _)| kc == c && kn == n)
        })
        .collect();
    for (c, n, d) in &unexpected {
        println!("\n{c} / {n}:\n{d}");
    }
    let now_matching: Vec<_> = KNOWN_DIFFERENCES
        .iter()
        .filter(|(kc, kn, _)| !failures.iter().any(|(c, n, _)| c == kc && n == kn))
        .collect();
    assert!(
        unexpected.is_empty(),
        "{} fixtures differ from GOV.UK Frontend",
        unexpected.len()
    );
    assert!(
        now_matching.is_empty(),
        "these known differences now match; remove them from the list: {now_matching:?}"
    );
}
