/* global db -- mongosh runs this script with the database handle `db` defined. */
// Runs once, on an empty data directory (the mongo image's /docker-entrypoint-initdb.d, as the root user):
// one user per owning service, allowed to read and write its own database only. Passwords come from the
// environment (the mongodb-secrets Secret), never from this file.
for (const service of ["wishlist", "reviews", "contact"]) {
  const password = process.env[`${service.toUpperCase()}_DB_PASSWORD`];
  if (!password) throw new Error(`${service.toUpperCase()}_DB_PASSWORD is not set`);
  db.getSiblingDB(service).createUser({ user: service, pwd: password, roles: [{ role: "readWrite", db: service }] });
}
