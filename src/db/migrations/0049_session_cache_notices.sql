-- Every app instance keeps an in-memory copy of session -> signed-in user (src/accounts/session-cache.ts), so a
-- request does not read its session from the database. The database itself announces, on the 'knotwork_sessions'
-- channel, every change that can end a session or alter what the copy holds, so no write path (present or future)
-- can forget to: 's:<token hash>' for a session deleted or changed, 'u:<user id>' for a user whose e-mail, role,
-- name, password or closing changed (or who was deleted), '*' when either table is truncated. Notifications are
-- delivered on commit only, in commit order.

CREATE FUNCTION knotwork_sessions_session_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('knotwork_sessions', 's:' || OLD.token_hash);
  RETURN NULL;
END
$$;
CREATE TRIGGER sessions_cache_session_changed AFTER DELETE OR UPDATE ON sessions
  FOR EACH ROW EXECUTE FUNCTION knotwork_sessions_session_changed();

CREATE FUNCTION knotwork_sessions_user_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('knotwork_sessions', 'u:' || OLD.id);
  RETURN NULL;
END
$$;
CREATE TRIGGER users_cache_user_changed AFTER UPDATE OF id, email, role, display_name, password_hash, closed_at ON users
  FOR EACH ROW EXECUTE FUNCTION knotwork_sessions_user_changed();
CREATE TRIGGER users_cache_user_deleted AFTER DELETE ON users
  FOR EACH ROW EXECUTE FUNCTION knotwork_sessions_user_changed();

CREATE FUNCTION knotwork_sessions_all_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('knotwork_sessions', '*');
  RETURN NULL;
END
$$;
CREATE TRIGGER sessions_cache_truncated AFTER TRUNCATE ON sessions
  FOR EACH STATEMENT EXECUTE FUNCTION knotwork_sessions_all_changed();
CREATE TRIGGER users_cache_truncated AFTER TRUNCATE ON users
  FOR EACH STATEMENT EXECUTE FUNCTION knotwork_sessions_all_changed();
