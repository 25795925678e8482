// mongo-init (compose.yaml) runs this with mongosh on mongo1's localhost, at every
// `docker compose up`. The first time, before any user exists, MongoDB's localhost
// exception lets it initiate the replica set and create the administrator; every
// time, it signs in as the administrator and sets the application user's password
// and its one role (readWrite on Consulta's database) from the secrets, so that a
// changed secret or a role granted by hand does not outlive the next start.
const fs = require('fs');
const secret = (name) => fs.readFileSync('/run/secrets/' + name, 'utf8').trim();

const database = process.env.CONSULTA_DATABASE || 'consulta';
const adminUser = process.env.MONGO_ADMIN_USER || 'admin';
const appUser = process.env.MONGO_APP_USER || 'consulta';
const adminPassword = secret('mongo_admin_password');
const appPassword = secret('mongo_app_password');

if (!db.hello().setName) {
  rs.initiate({_id: 'rs0', members: [
    {_id: 0, host: 'mongo1:27017', priority: 2},
    {_id: 1, host: 'mongo2:27017', priority: 1},
    {_id: 2, host: 'mongo3:27017', priority: 1}]});
}
while (!db.hello().isWritablePrimary) {
  sleep(500);
}

const admin = db.getSiblingDB('admin');
function signIn() {
  try {
    return admin.auth(adminUser, adminPassword).ok === 1;
  } catch (e) {
    return false;
  }
}
if (!signIn()) {
  try {
    admin.createUser({user: adminUser, pwd: adminPassword, roles: ['root']});
  } catch (e) {
    print('mongo-init: cannot sign in as ' + adminUser + ' with secrets/mongo_admin_password, ' +
      'and users exist already: the file must hold the password set at the first start (' + e.message + ')');
    quit(1);
  }
  if (!signIn()) {
    print('mongo-init: created ' + adminUser + ' but cannot sign in with it');
    quit(1);
  }
}

const appRoles = [{role: 'readWrite', db: database}];
if (admin.getUser(appUser)) {
  admin.updateUser(appUser, {pwd: appPassword, roles: appRoles});
} else {
  admin.createUser({user: appUser, pwd: appPassword, roles: appRoles});
}
print('mongo-init: replica set rs0 has a primary; users ' + adminUser + ' (root) and ' +
  appUser + ' (readWrite on ' + database + ') are set');
