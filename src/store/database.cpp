#include "endstate/store/database.hpp"

#include "endstate/core/error.hpp"
#include "store/detail/backends.hpp"
#include "store/detail/migrations.hpp"

namespace endstate::store {

int latest_schema_version() { return detail::migrations().empty() ? 0 : detail::migrations().back().version; }

std::string library_versions() { return detail::sqlite_version() + ", " + detail::postgresql_version(); }

bool is_server_location(const std::string& location) {
  return location.rfind("postgresql:", 0) == 0 || location.rfind("postgres:", 0) == 0;
}

Database Database::open(const std::string& location, Access access) {
  if (location.empty()) throw usage_error("the database location is empty; pass --db PATH");
  if (is_server_location(location)) return Database(detail::open_postgresql(location, access));
  return Database(detail::open_sqlite(location, access));
}

Database::Database(std::unique_ptr<Backend> backend) : b_(std::move(backend)) {
  if (!b_) throw internal_error("Database: no backend");
}
Database::~Database() = default;
Database::Database(Database&&) noexcept = default;
Database& Database::operator=(Database&&) noexcept = default;

Database::Transaction::Transaction(Database& db, Mode mode) : db_(&db) { db_->b_->begin(mode); }

Database::Transaction::~Transaction() {
  if (!done_) db_->b_->rollback();
}

void Database::Transaction::commit() {
  db_->b_->commit();
  done_ = true;
}

}  // namespace endstate::store
