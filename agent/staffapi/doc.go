// Package staffapi is the agent's local HTTP surface for showroom staff:
// the JSON API (record events, search, profiles, sync status, staff
// accounts, audit log) and the staff web page. Recording commits to the
// local store before answering, so the showroom works with or without
// the hub.
//
// Who may do what:
//   - GET /healthz and the login form are open.
//   - The JSON API takes "Authorization: Bearer TOKEN": the local admin
//     token (<data-dir>/admin.token, written at enrolment) or a staff
//     member's API token (from `touchpoint-agent staff add`). Only the
//     admin token manages staff accounts and reads the audit log.
//   - The page uses a login (bcrypt password) and a session cookie
//     (HttpOnly, SameSite=Strict, Secure over TLS and on loopback). Every
//     form carries the session's CSRF token; the login form, which has no
//     session yet, a double-submit cookie.
//   - Every profile shown (search result, profile page, API read) is
//     written to the audit log in the local store, never to the logs.
//
// Page templates, CSS and JavaScript are embedded (templates/, static/):
// server-rendered HTML that works without JavaScript; the script only
// refreshes the hub banner and adapts the search box.
package staffapi
