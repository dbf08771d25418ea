import { parseArgs } from 'node:util';
import { loadConfig } from '../config.js';
import { openDatabase } from '../db/connection.js';
import { migrate } from '../db/migrate.js';
import { emailSchema } from './account-routes.js';
import { judgePassword, preparePasswordJudge } from './password-strength.js';
import { hashPassword } from './passwords.js';

/**
 * Operators are not self-service: `npm run create-operator -- --email ops@example.com --name "Ops"` creates one
 * (password from OPERATOR_PASSWORD, at least 12 characters and not easy to guess) in the configured database.
 */
const { values } = parseArgs({ options: { email: { type: 'string' }, name: { type: 'string' } } });
const email = emailSchema.safeParse(values.email);
const password = process.env.OPERATOR_PASSWORD ?? '';
if (!email.success || !values.name || password.length < 12) {
  console.error(
    'Usage: OPERATOR_PASSWORD=… npm run create-operator -- --email <address> --name <display name>  (password: 12+ characters)',
  );
  process.exit(2);
}
await preparePasswordJudge();
const strength = judgePassword(password, [email.data, values.name]);
if (!strength.ok) {
  console.error(`OPERATOR_PASSWORD is easy to guess: ${strength.reason}`);
  process.exit(2);
}
const config = loadConfig();
const database = await openDatabase(config.database);
try {
  await migrate(database);
  const created = await database.db
    .insertInto('users')
    .values({
      email: email.data,
      password_hash: await hashPassword(password),
      role: 'operator',
      display_name: values.name,
    })
    .onConflict((oc) => oc.column('email').doNothing())
    .returning('id')
    .executeTakeFirst();
  if (!created) {
    console.error(`An account with ${email.data} already exists.`);
    process.exitCode = 1;
  } else {
    console.log(`Operator ${email.data} created.`);
  }
} finally {
  await database.close();
}
