#pragma once
// The consultation log's CSV (docs/data-formats.md, "Consultation log"):
// one row per consultation held in a locality.
//
//     locality,territory,date,channel,who,summary,concerns
//     Kalemba,Kalemba territory,2025-03-14,meeting,"women's association, ~40 people",...,"night patrols;road to market"
//
// A file is imported whole or not at all: every row is checked first (file,
// line, field and reason for each problem) and any problem refuses the file.
// `who` describes a group, not a person: unless personal data is allowed, a
// phone number (7 or more digits) or an e-mail address in who, summary or
// concerns is refused.

#include <string>
#include <vector>

#include "endstate/core/domain.hpp"
#include "endstate/store/database.hpp"
#include "endstate/store/records.hpp"

namespace endstate::ingest {

/// The channels a consultation may be held through.
const std::vector<std::string>& consultation_channels();

struct ConsultationReadOptions {
  bool allow_personal_data = false;
};

/// Reads and checks every row. Error(kBadInput) naming file, line and field
/// of the first problem (and how many more there are) when any row is bad.
std::vector<store::ConsultationRow> read_consultations(const std::string& path, const ConsultationReadOptions& o);

/// Reads the file and stores its rows in one transaction (rows already
/// stored count as duplicates); nothing is written when the file is bad.
ImportSummary import_consultations(store::Database& db, const std::string& path, const ConsultationReadOptions& o);

}  // namespace endstate::ingest
