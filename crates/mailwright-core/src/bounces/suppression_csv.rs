//! The suppression list as CSV, for the user's mail program or service: only the addresses
//! that are suppressed, each with its state and why. Cells a spreadsheet would take for a
//! formula are written as text.

use super::suppression::ListedAddress;
use crate::reports::spreadsheet_cell as cell;

/// The suppressed addresses as CSV (`address,state,times,first,last,reason`).
pub fn suppression_csv(list: &[ListedAddress]) -> String {
    let mut writer = csv::Writer::from_writer(Vec::new());
    let _ = writer.write_record(["address", "state", "times", "first", "last", "reason"]);
    for listed in list.iter().filter(|l| l.suppressed) {
        let _ = writer.write_record([
            cell(&listed.address),
            listed.state.label().to_owned(),
            listed.times.to_string(),
            listed.first.clone(),
            listed.last.clone(),
            cell(&listed.why),
        ]);
    }
    String::from_utf8(writer.into_inner().unwrap_or_default()).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::super::suppression::AddressState;
    use super::*;

    fn listed(address: &str, suppressed: bool) -> ListedAddress {
        ListedAddress {
            address: address.into(),
            state: AddressState::HardBounced,
            suppressed,
            times: 1,
            first: "2026-12-01".into(),
            last: "2026-12-01".into(),
            why: "The address does not exist: suppressed at once.".into(),
            last_reply: None,
        }
    }

    #[test]
    fn only_suppressed_addresses_are_written_and_formulas_are_text() {
        let csv = suppression_csv(&[
            listed("a@example.org", true),
            listed("=cmd@example.org", true),
            listed("watched@example.org", false),
        ]);
        let lines: Vec<&str> = csv.lines().collect();
        assert_eq!(lines[0], "address,state,times,first,last,reason");
        assert!(lines[1].starts_with("a@example.org,hard-bounced,1,2026-12-01,2026-12-01,"));
        assert!(lines[2].starts_with("'=cmd@example.org,"), "{}", lines[2]);
        assert_eq!(lines.len(), 3);
    }
}
