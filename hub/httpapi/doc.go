// Package httpapi is the hub's HTTP surface: the channel ingest and
// profile API (/v1/events, /v1/customers), the operator API (cluster,
// dealers, tokens, agents), health and metrics, and the internal endpoint
// that followers forward writes to.
package httpapi
