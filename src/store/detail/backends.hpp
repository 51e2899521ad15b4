#pragma once
// The backends the store can open (chosen by Database::open from the location).

#include <memory>
#include <string>

#include "endstate/store/backend.hpp"
#include "endstate/store/server_tables.hpp"

namespace endstate::store::detail {

/// "SQLite 3.x.y".
std::string sqlite_version();

/// The SQLite file at `path`.
std::unique_ptr<Backend> open_sqlite(const std::string& path, Access access);

/// "libpq 15.x".
std::string postgresql_version();

/// The PostgreSQL database at `location` (is_server_location).
std::unique_ptr<Backend> open_postgresql(const std::string& location, Access access);

/// The server tables of a PostgreSQL backend; nullptr for any other backend.
std::unique_ptr<ServerTables> pg_server_tables(Backend& backend);

}  // namespace endstate::store::detail
