// Package localstore is the agent's Badger database: the profiles of the
// dealer's scope as the hub last sent them, the events recorded here
// (kept in an outbox until the hub acknowledges them, and shown until the
// hub's profile includes them), and the change-feed cursor.
//
// Every write that staff are told about is synced to disk before the call
// returns (SyncWrites): Badger's default loses acknowledged writes on a
// power cut. A feed batch and the cursor that follows it commit in one
// transaction, so a restarted agent resumes exactly where it stopped.
package localstore
