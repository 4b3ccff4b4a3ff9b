package main

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"fmt"
	"io"
	"math/big"
	"time"

	"github.com/quic-go/quic-go"
)

const echoALPN = "touchpoint-bench-echo"

// quicRoundTrips measures n round trips of eventSize bytes on one QUIC
// stream over loopback: a server echoes what it reads.
func quicRoundTrips(n int) (*latencies, error) {
	cert, err := selfSigned()
	if err != nil {
		return nil, err
	}
	ln, err := quic.ListenAddr("127.0.0.1:0", &tls.Config{Certificates: []tls.Certificate{cert}, NextProtos: []string{echoALPN}}, nil)
	if err != nil {
		return nil, err
	}
	defer ln.Close()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	go echo(ctx, ln)
	conn, err := quic.DialAddr(ctx, ln.Addr().String(), &tls.Config{InsecureSkipVerify: true, NextProtos: []string{echoALPN}}, nil) //nolint:gosec // loopback benchmark
	if err != nil {
		return nil, fmt.Errorf("dial echo: %w", err)
	}
	defer conn.CloseWithError(0, "")
	st, err := conn.OpenStreamSync(ctx)
	if err != nil {
		return nil, err
	}
	msg, back := make([]byte, eventSize), make([]byte, eventSize)
	var lat latencies
	for range n {
		begin := time.Now()
		if _, err := st.Write(msg); err != nil {
			return nil, err
		}
		if _, err := io.ReadFull(st, back); err != nil {
			return nil, err
		}
		lat.add(time.Since(begin))
	}
	return &lat, nil
}

func echo(ctx context.Context, ln *quic.Listener) {
	conn, err := ln.Accept(ctx)
	if err != nil {
		return
	}
	st, err := conn.AcceptStream(ctx)
	if err != nil {
		return
	}
	_, _ = io.Copy(st, st)
}

func selfSigned() (tls.Certificate, error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return tls.Certificate{}, err
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "bench"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour), DNSNames: []string{"localhost"}}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		return tls.Certificate{}, err
	}
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key}, nil
}
