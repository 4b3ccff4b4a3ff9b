// Package staffapi is the agent's local HTTP surface for showroom staff:
// the JSON API (record events, search, profiles, sync status) and the
// staff web page. Recording commits to the local store before answering,
// so the showroom works with or without the hub.
package staffapi
