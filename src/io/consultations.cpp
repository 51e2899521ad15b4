// Writer of the consultation log.
#include "endstate/io/consultations.hpp"

#include "io/detail/json.hpp"

namespace endstate::io {

Table consultations_table(const service::ConsultationList& l) {
  Table t({{"date"}, {"locality"}, {"territory"}, {"channel"}, {"who"}, {"summary"}, {"concerns"}});
  for (const auto& r : l.rows) {
    t.add({r.date, r.locality, r.territory.empty() ? Cell() : Cell(r.territory), r.channel, r.who, r.summary,
           r.concerns});
  }
  return t;
}

void write(std::ostream& out, const service::ConsultationList& l, const WriteOptions& o) {
  detail::write_table(out, consultations_table(l), o, detail::document("consultations"), "consultations");
}

}  // namespace endstate::io
