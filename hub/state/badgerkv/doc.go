// Package badgerkv keeps hub/state's key space in Badger: it implements
// state.DB over a *badger.DB, with the options the hub's FSM ships with.
package badgerkv
