#pragma once
// One entry point per event format (module-private); ingest::read_events
// (events_csv.cpp) picks one from the EventSource.

#include <string>

#include "endstate/ingest/readers.hpp"

namespace endstate::ingest::detail {

/// UCDP GED: CSV, or the GeoJSON export when the file starts with '{' (events_ucdp.cpp).
void read_ucdp_events(InputStream in, EventSink& sink);
/// ACLED export CSV (events_acled.cpp).
void read_acled_events(InputStream in, EventSink& sink);
/// Generic CSV with a column map (events_csv.cpp).
void read_csv_events(InputStream in, const ColumnMap& map, EventSink& sink);

}  // namespace endstate::ingest::detail
