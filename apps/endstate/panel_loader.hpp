#pragma once
// Loads the area x month panel of one level from the store (the command
// layer's side of the pure analyses in threat/ and forecast/).

#include <optional>
#include <string>

#include "endstate/core/panel.hpp"
#include "endstate/store/database.hpp"

namespace endstate::cli {

/// The level to analyse when the user gave none: "province" when present,
/// else the first level below the top. Error(kNotFound) when there are no areas.
std::string default_level(store::Database& db);

/// Panel of `level` over from..to (defaults: the months of the first and last
/// stored event). Error(kNotFound) naming the levels there are when `level`
/// has no areas; Error(kUsage) when to < from.
Panel load_panel(store::Database& db, const std::string& level, std::optional<Month> from, std::optional<Month> to);

}  // namespace endstate::cli
