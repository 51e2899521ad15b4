#pragma once
// Writer of the consultation log (table, CSV, JSON kind "consultations").

#include <ostream>

#include "endstate/io/table.hpp"
#include "endstate/service/consultations.hpp"

namespace endstate::io {

/// One row per consultation: date, locality, territory, channel, who, summary, concerns (a list).
Table consultations_table(const service::ConsultationList& l);
void write(std::ostream& out, const service::ConsultationList& l, const WriteOptions& o);

}  // namespace endstate::io
