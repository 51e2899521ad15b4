#pragma once
// Requests and results of the consultation log (docs/report.md): community
// feedback per locality, imported from CSV, listed per locality.

#include <string>
#include <vector>

#include "endstate/store/records.hpp"

namespace endstate::service {

struct ConsultationImportRequest {
  std::string file;                  ///< CSV (docs/data-formats.md, "Consultation log")
  bool allow_personal_data = false;  ///< keep phone numbers and e-mail addresses (refused by default)
};

struct ConsultationQuery {
  std::string locality;  ///< "" = every locality
};

struct ConsultationList {
  std::vector<store::ConsultationRow> rows;  ///< by date, locality, id
};

}  // namespace endstate::service
