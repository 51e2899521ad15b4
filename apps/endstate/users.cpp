// endstate users add | list | revoke: the server's users (docs/server.md)
#include <pwd.h>
#include <unistd.h>

#include <fstream>
#include <iostream>
#include <sstream>

#include "commands.hpp"
#include "common.hpp"
#include "endstate/core/error.hpp"
#include "endstate/server/accounts.hpp"
#include "endstate/store/database.hpp"

namespace endstate::cli {
namespace {

/// Who runs the command, for the audit log: "cli:<login name>".
std::string cli_user() {
  const passwd* pw = getpwuid(getuid());
  return std::string("cli:") + (pw && pw->pw_name ? pw->pw_name : std::to_string(getuid()));
}

std::string read_password(const std::string& path) {
  std::string line;
  if (path == "-") {
    std::getline(std::cin, line);
  } else {
    std::ifstream in(input_path(path), std::ios::binary);
    if (!in) throw not_found("cannot read --password-file '" + path + "'");
    std::getline(in, line);
  }
  if (!line.empty() && line.back() == '\r') line.pop_back();
  return line;
}

int users_add(const Args& a, std::ostream& out) {
  const auto wo = write_options(a, false);
  const std::string password = read_password(a.get("password-file"));
  auto db = store::Database::open(a.db_path(), store::Access::kReadWrite);
  server::Accounts acc(db);
  server::write_users(out, {acc.add(a.get("name"), a.get("role"), password, cli_user())}, wo);
  return 0;
}

int users_list(const Args& a, std::ostream& out) {
  const auto wo = write_options(a, false);
  auto db = store::Database::open(a.db_path(), store::Access::kReadOnly);
  server::write_users(out, server::Accounts(db).list(), wo);
  return 0;
}

int users_revoke(const Args& a, std::ostream& out) {
  const auto wo = write_options(a, false);
  auto db = store::Database::open(a.db_path(), store::Access::kReadWrite);
  server::write_users(out, {server::Accounts(db).revoke(a.get("name"), cli_user())}, wo);
  return 0;
}

}  // namespace

std::vector<CommandSpec> users_commands() {
  return {
      {"users",
       "add",
       "Add a user of the server with a role (public, analyst, planner, signatory:<stakeholder>, admin); the "
       "password (first line of the file, 12 bytes or more) is stored as an Argon2id hash. Audited.",
       {},
       {{"name", "NAME", "user name: 1-64 letters, digits and . _ - @", "", true},
        {"role", "ROLE", "public | analyst | planner | signatory:<stakeholder> | admin", "", true},
        {"password-file", "FILE", "file whose first line is the password (- = standard input)", "", true, "password"},
        format_flag(false)},
       users_add},
      {"users",
       "list",
       "List the server's users with their roles and who added or revoked them.",
       {},
       {format_flag(false)},
       users_list},
      {"users",
       "revoke",
       "Revoke a user: no more logins, every token of theirs refused at once. Audited.",
       {},
       {{"name", "NAME", "the user", "", true}, format_flag(false)},
       users_revoke}};
}

}  // namespace endstate::cli
