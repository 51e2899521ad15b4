#pragma once
// The SQLite connection behind a store opened on an SQLite file, for the
// repositories implemented outside sqlite_backend.cpp (sqlite_users.cpp).

#include "endstate/store/backend.hpp"

struct sqlite3;

namespace endstate::store::detail {

/// The connection of an SQLite backend; nullptr for any other backend.
sqlite3* sqlite_handle(Backend& backend);

}  // namespace endstate::store::detail
