//! Page templates (minijinja), embedded in the binary, with our GOV.UK component macros.

use crate::Config;
use crate::auth::Session;
use crate::error::AppError;
use axum::response::Html;
use minijinja::Environment;
use minijinja::Value;
use minijinja::context;
use std::sync::Arc;
use std::sync::OnceLock;

/// Our page templates, embedded: (name, source).
macro_rules! pages {
    ($($name:literal),* $(,)?) => {
        &[$(($name, include_str!(concat!("../templates/", $name)))),*]
    };
}
const PAGES: &[(&str, &str)] = pages![
    "layout.html",
    "sign_in.html",
    "sso_refused.html",
    "error.html",
    "home.html",
    "person/search.html",
    "child_page/show.html",
    "care_leavers/section.html",
    "person/form.html",
    "person/allocate.html",
    "person/address.html",
    "person/family.html",
    "admin/user.html",
    "admin/users.html",
    "audit/break_glass.html",
    "audit/break_glass_report.html",
    "audit/list.html",
    "returns/cin.html",
    "returns/cin_findings.html",
    "returns/findings_tables.html",
    "returns/ssda903.html",
    "returns/ssda903_findings.html",
    "front_door/queue.html",
    "front_door/contact_form.html",
    "front_door/contact.html",
    "front_door/quality.html",
    "assessment/start.html",
    "assessment/show.html",
    "case_notes/form.html",
    "work/due.html",
    "work/cases.html",
    "forms/form.html",
    "forms/confirm.html",
    "forms/drafts.html",
    "forms/corrections.html",
    "child_in_need/plan.html",
    "report/index.html",
    "report/children.html",
    "inspection/annex_a.html",
    "inspection/timeliness.html",
    "inspection/timeliness_children.html",
    "quality/list.html",
    "quality/programme_form.html",
    "quality/programme.html",
    "quality/audit_form.html",
    "quality/audit.html",
    "quality/learning_actions.html",
    "workforce/list.html",
    "workforce/worker.html",
    "workforce/indicators.html",
    "quality/template.html",
    "quality/themes.html",
];

pub struct Templates {
    env: Environment<'static>,
}

static GLOBAL: OnceLock<Arc<Templates>> = OnceLock::new();

/// "2019-02-03" (or a date value) as "3 February 2019", the GOV.UK style.
fn format_date(v: Value) -> String {
    let s = v.to_string();
    let day = s.get(..10).unwrap_or(&s);
    match chrono::NaiveDate::parse_from_str(day, "%Y-%m-%d") {
        Ok(d) => d.format("%-d %B %Y").to_string(),
        Err(_) => s,
    }
}

/// A timestamp as "3 February 2019 at 2:05pm" in UTC.
fn format_datetime(v: Value) -> String {
    let s = v.to_string();
    match chrono::DateTime::parse_from_rfc3339(&s) {
        Ok(t) => {
            let t = t.with_timezone(&chrono::Utc);
            format!("{} at {}", t.format("%-d %B %Y"), t.format("%-I:%M%P"))
        }
        Err(_) => s,
    }
}

impl Templates {
    pub fn new(config: &Config) -> Self {
        let mut env = Environment::new();
        env.set_auto_escape_callback(|name| {
            if name.ends_with(".html") {
                minijinja::AutoEscape::Html
            } else {
                minijinja::AutoEscape::None
            }
        });
        env.set_undefined_behavior(minijinja::UndefinedBehavior::Chainable);
        crate::govuk::add_templates(&mut env);
        for (name, src) in PAGES {
            env.add_template(name, src)
                .unwrap_or_else(|e| panic!("template {name}: {e:#}"));
        }
        env.add_filter("govuk_date", format_date);
        env.add_filter("govuk_datetime", format_datetime);
        env.add_global("council_name", config.council_name.clone());
        env.add_global("service_name", "Hearth");
        let t = Templates { env };
        // Error pages are rendered where no state is at hand; the first app's templates serve them.
        let _ = GLOBAL.set(Arc::new(Templates::clone_env(&t)));
        t
    }

    fn clone_env(t: &Templates) -> Templates {
        Templates { env: t.env.clone() }
    }

    pub fn global() -> Option<&'static Arc<Templates>> {
        GLOBAL.get()
    }

    /// Renders a page. `session` supplies the signed-in user and the CSRF token for forms.
    pub fn page(
        &self,
        name: &str,
        session: Option<&Session>,
        ctx: Value,
    ) -> Result<Html<String>, AppError> {
        let base = match session {
            Some(s) => context! {
                user => Value::from_serialize(&s.user),
                role_label => s.user.role.label(),
                csrf_token => s.csrf_token.clone(),
                // Finding a child: an auditor opens only the records they audit, from the audit.
                can_view_records => crate::policy::check_role(&s.user, crate::policy::Action::SearchRecords).is_ok(),
                can_see_audits => crate::policy::check_role(&s.user, crate::policy::Action::ViewAudits).is_ok(),
                can_see_workforce => crate::policy::check_role(&s.user, crate::policy::Action::ViewWorkforce).is_ok(),
                can_complete_learning => crate::policy::check_role(&s.user, crate::policy::Action::CompleteLearningAction).is_ok(),
                can_validate_returns => matches!(s.user.role, domain::access::Role::PerformanceAnalyst | domain::access::Role::TeamManager | domain::access::Role::Administrator),
                can_validate_returns => crate::policy::may_validate_role(s.user.role),
                can_see_front_door => crate::policy::check_role(&s.user, crate::policy::Action::ViewFrontDoor).is_ok(),
                can_see_work => crate::policy::check_role(&s.user, crate::policy::Action::ViewWorkDue).is_ok(),
                can_see_report => crate::policy::may_see_report(s.user.role),
                can_make_annex_a => crate::inspection::pages::may_make_annex_a(s.user.role),
                can_view_audit => crate::policy::check_role(&s.user, crate::policy::Action::ViewAuditLog).is_ok(),
                can_manage_users => crate::policy::check_role(&s.user, crate::policy::Action::ManageUsers).is_ok(),
            },
            None => context! {},
        };
        let tmpl = self
            .env
            .get_template(name)
            .map_err(|e| AppError::Internal(format!("template {name}: {e:#}")))?;
        tmpl.render(context! { ..ctx, ..base })
            .map(Html)
            .map_err(|e| AppError::Internal(format!("rendering {name}: {e:#}")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_read_the_gov_uk_way() {
        assert_eq!(format_date(Value::from("2019-02-03")), "3 February 2019");
        assert_eq!(
            format_datetime(Value::from("2026-11-24T14:05:00Z")),
            "24 November 2026 at 2:05pm"
        );
        assert_eq!(format_date(Value::from("not a date")), "not a date");
    }
}
