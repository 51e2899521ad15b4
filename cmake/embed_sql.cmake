# Writes a C++ file holding each migration as (version, name, text), in the
# order given. Invoked with -DOUT=... -DFILES="a.sql;b.sql".
set(body "// Generated from sql/*.sql by cmake/embed_sql.cmake. Do not edit.\n#include \"store/detail/migrations.hpp\"\nnamespace endstate::store::detail {\nconst std::vector<Migration>& migrations() {\n  static const std::vector<Migration> kAll = {\n")
foreach(f IN LISTS FILES)
  get_filename_component(name ${f} NAME)
  string(REGEX MATCH "^[0-9]+" version ${name})
  math(EXPR version "${version}")
  file(READ ${f} text)
  set(body "${body}    {${version}, \"${name}\", R\"endstate_sql(${text})endstate_sql\"},\n")
endforeach()
set(body "${body}  };\n  return kAll;\n}\n}  // namespace endstate::store::detail\n")
file(WRITE ${OUT}.tmp "${body}")
configure_file(${OUT}.tmp ${OUT} COPYONLY)
