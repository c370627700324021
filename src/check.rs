//! Range checks for configuration values, shared by every section's
//! `validate`, so that each section checks itself next to its definition
//! and every message has the same shape: the field, the bad value, the
//! range.

use crate::error::{Error, Result};

/// `value` in (0, 1]; NaN fails.
pub(crate) fn unit_interval(field: &'static str, value: f64) -> Result<()> {
    // Written so that NaN fails too.
    if value > 0.0 && value <= 1.0 {
        Ok(())
    } else {
        Err(Error::invalid_config(
            field,
            format!("{field} {value} is outside (0, 1]"),
        ))
    }
}

/// `value` in [0, 1]; NaN fails.
pub(crate) fn closed_unit_interval(field: &'static str, value: f64) -> Result<()> {
    if (0.0..=1.0).contains(&value) {
        Ok(())
    } else {
        Err(Error::invalid_config(
            field,
            format!("{field} {value} is outside [0, 1]"),
        ))
    }
}

/// `value` at least `min`.
pub(crate) fn at_least(field: &'static str, value: u64, min: u64) -> Result<()> {
    if value >= min {
        Ok(())
    } else {
        Err(Error::invalid_config(
            field,
            format!("{field} {value} must be at least {min}"),
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_name_the_field_and_the_value() {
        let message = |r: Result<()>| r.unwrap_err().to_string();
        assert_eq!(
            message(unit_interval("x", 0.0)),
            "invalid config: x 0 is outside (0, 1]"
        );
        assert_eq!(
            message(unit_interval("x", f64::NAN)),
            "invalid config: x NaN is outside (0, 1]"
        );
        assert_eq!(
            message(closed_unit_interval("y", -0.5)),
            "invalid config: y -0.5 is outside [0, 1]"
        );
        assert_eq!(
            message(at_least("z", 0, 1)),
            "invalid config: z 0 must be at least 1"
        );
        assert!(unit_interval("x", 1.0).is_ok() && closed_unit_interval("y", 0.0).is_ok());
    }
}
