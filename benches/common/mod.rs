//! The large setup both benchmarks use: 10,000 profiles, a fifth of them MFA users (keys in
//! the credentials file), the rest roles chained up to three hops deep onto them.

pub const PROFILES: usize = 10_000;
pub const USERS: usize = PROFILES / 5;

/// (config, credentials) texts; `role_extra` is appended to every role section.
pub fn generate(role_extra: &str) -> (String, String) {
    let mut config = String::with_capacity(PROFILES * 160);
    let mut credentials = String::with_capacity(USERS * 160);
    for u in 0..USERS {
        config.push_str(&format!(
            "[profile user-{u}]\nregion = eu-west-1\n\
             mfa_serial = arn:aws:iam::{u:012}:mfa/user-{u}\nduration_seconds = 43200\n\n"
        ));
        credentials.push_str(&format!(
            "[user-{u}]\naws_access_key_id = AKIA{u:016}\n\
             aws_secret_access_key = {u:040} # rotated\n\n"
        ));
    }
    for r in 0..PROFILES - USERS {
        // Two roles in three sit on the previous role: chains of one, two and three hops.
        let source = match r % 3 {
            0 => format!("user-{}", r % USERS),
            _ => format!("role-{}", r - 1),
        };
        config.push_str(&format!(
            "[profile role-{r}]\nrole_arn = arn:aws:iam::{:012}:role/team/Role{r}\n\
             source_profile = {source}\n{role_extra}\n",
            r % 997
        ));
    }
    (config, credentials)
}
