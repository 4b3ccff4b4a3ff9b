package main

import (
	"fmt"
	"unsafe"

	"golang.org/x/sys/windows"
)

// On Windows the key file holds the key sealed with DPAPI in the machine's
// scope: the file is useless on any other PC (a copied disk, a backup),
// and the service account reads it without a password.
const (
	cryptProtectUIForbidden  = 0x1
	cryptProtectLocalMachine = 0x4
	keyDescription           = "Touchpoint agent database key"
)

func sealKey(key []byte) ([]byte, error) {
	name, _ := windows.UTF16PtrFromString(keyDescription)
	var out windows.DataBlob
	in := blobOf(key)
	if err := windows.CryptProtectData(&in, name, nil, 0, nil, cryptProtectUIForbidden|cryptProtectLocalMachine, &out); err != nil {
		return nil, fmt.Errorf("seal key with DPAPI: %w", err)
	}
	return takeBlob(&out), nil
}

func unsealKey(sealed []byte) ([]byte, error) {
	var out windows.DataBlob
	in := blobOf(sealed)
	if err := windows.CryptUnprotectData(&in, nil, nil, 0, nil, cryptProtectUIForbidden, &out); err != nil {
		return nil, fmt.Errorf("unseal key with DPAPI (was the file copied from another PC?): %w", err)
	}
	return takeBlob(&out), nil
}

func blobOf(b []byte) windows.DataBlob {
	if len(b) == 0 {
		return windows.DataBlob{}
	}
	return windows.DataBlob{Size: uint32(len(b)), Data: &b[0]}
}

// takeBlob copies a blob DPAPI allocated and frees it.
func takeBlob(b *windows.DataBlob) []byte {
	defer windows.LocalFree(windows.Handle(unsafe.Pointer(b.Data)))
	return append([]byte(nil), unsafe.Slice(b.Data, b.Size)...)
}
