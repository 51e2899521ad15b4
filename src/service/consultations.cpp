// The consultation log through the engine.
#include "endstate/ingest/consultations.hpp"
#include "endstate/service/engine.hpp"
#include "service/detail/engine_impl.hpp"

namespace endstate::service {

ImportSummary Engine::consultations_import(const ConsultationImportRequest& r) {
  if (r.file.empty()) throw invalid_field("file", "is required");
  // Every row is read and checked before the store is opened for writing.
  (void)ingest::read_consultations(r.file, {r.allow_personal_data});
  return ingest::import_consultations(writer(), r.file, {r.allow_personal_data});
}

ConsultationList Engine::consultations(const ConsultationQuery& q) {
  ConsultationList out;
  out.rows = reader().consultations(q.locality);
  return out;
}

}  // namespace endstate::service
