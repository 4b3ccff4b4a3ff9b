package main

import (
	"bufio"
	"crypto/rand"
	"fmt"
	"net/url"
	"os"
	"strings"
	"time"

	"github.com/touchpoint/touchpoint/agent/localstore"
	"github.com/touchpoint/touchpoint/internal/cli"
)

// staffAccount is an account as the agent lists it.
type staffAccount struct {
	Username    string `json:"username"`
	Name        string `json:"name"`
	CreatedUnix int64  `json:"created_unix"`
	Token       string `json:"token,omitempty"`
}

// runStaff manages the staff page's local logins on the running agent;
// it needs the admin token (--data-dir on the agent's PC, or --token).
func runStaff(args []string) error {
	if len(args) == 0 || strings.HasPrefix(args[0], "-") {
		// Flags before a subcommand: --help prints the usage, others are wrong.
		if err := newFlags("staff").Parse(args); err != nil {
			return err
		}
		return cli.UsageError("give a subcommand: add, list, remove or audit")
	}
	switch args[0] {
	case "add":
		return runStaffAdd(args[1:])
	case "list":
		return runStaffList(args[1:])
	case "remove":
		return runStaffRemove(args[1:])
	case "audit":
		return runStaffAudit(args[1:])
	}
	return cli.Usagef("unknown subcommand %q: use add, list, remove or audit", args[0])
}

func runStaffAdd(args []string) error {
	fs := newFlags("staff")
	client := clientFlags(fs)
	name := fs.String("name", "", "the person's full name, as the page greets them")
	fromStdin := fs.Bool("password-stdin", false, "read the password from the first line of standard input (default: generate one)")
	asJSON := fs.Bool("json", false, "print JSON")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return cli.UsageError("give one USERNAME, e.g. `staff add m.jones --name \"Maria Jones\"`")
	}
	password, generated, err := staffPassword(*fromStdin)
	if err != nil {
		return err
	}
	body := map[string]string{"username": fs.Arg(0), "name": *name, "password": password}
	var out staffAccount
	if err := client().do("POST", "/v1/staff", body, &out); err != nil {
		return err
	}
	if *asJSON {
		res := map[string]any{"staff": out}
		if generated {
			res["password"] = password
		}
		return printJSON(res)
	}
	t := stdoutTable("USERNAME", "NAME", "API TOKEN")
	t.row(out.Username, out.Name, out.Token)
	t.flush()
	if generated {
		fmt.Printf("\npassword: %s\n", password)
	}
	fmt.Println("\nHand these over now: the agent keeps only their hashes and cannot show them again.")
	return nil
}

// staffPassword reads the password from stdin, or makes one up.
func staffPassword(fromStdin bool) (password string, generated bool, err error) {
	if !fromStdin {
		return newPassword(), true, nil
	}
	line, err := bufio.NewReader(os.Stdin).ReadString('\n')
	if err != nil && line == "" {
		return "", false, fmt.Errorf("--password-stdin: read the password: %w", err)
	}
	return strings.TrimRight(line, "\r\n"), false, nil
}

// newPassword returns 16 characters that are easy to read out and type.
func newPassword() string {
	const letters = "abcdefghjkmnpqrstuvwxyz23456789"
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	for i := range b {
		b[i] = letters[int(b[i])%len(letters)]
	}
	return string(b[:4]) + "-" + string(b[4:8]) + "-" + string(b[8:12]) + "-" + string(b[12:])
}

func runStaffList(args []string) error {
	fs := newFlags("staff")
	client := clientFlags(fs)
	asJSON := fs.Bool("json", false, "print JSON")
	if err := fs.Parse(args); err != nil {
		return err
	}
	var out struct {
		Staff []staffAccount `json:"staff"`
	}
	if printed, err := client().list("/v1/staff", nil, *asJSON, &out); printed || err != nil {
		return err
	}
	if len(out.Staff) == 0 {
		fmt.Println("no staff accounts yet: add one with `touchpoint-agent staff add USERNAME --name NAME`")
		return nil
	}
	t := stdoutTable("USERNAME", "NAME", "CREATED")
	for _, a := range out.Staff {
		t.row(a.Username, a.Name, time.Unix(a.CreatedUnix, 0).Format("2006-01-02 15:04"))
	}
	t.flush()
	return nil
}

func runStaffRemove(args []string) error {
	fs := newFlags("staff")
	client := clientFlags(fs)
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return cli.UsageError("give one USERNAME to remove")
	}
	var out map[string]string
	if err := client().do("DELETE", "/v1/staff/"+url.PathEscape(fs.Arg(0)), nil, &out); err != nil {
		return err
	}
	fmt.Printf("removed %s: their sessions and API token no longer work\n", fs.Arg(0))
	return nil
}

// runStaffAudit prints who viewed which customer, newest first.
func runStaffAudit(args []string) error {
	fs := newFlags("staff")
	client := clientFlags(fs)
	cust := fs.String("customer-id", "", "only views of this customer")
	staff := fs.String("staff", "", "only this staff member (or admin)")
	limit := fs.Int("limit", 50, "how many entries, newest first")
	asJSON := fs.Bool("json", false, "print JSON")
	if err := fs.Parse(args); err != nil {
		return err
	}
	q := url.Values{"limit": {fmt.Sprint(*limit)}}
	if *cust != "" {
		q.Set("customer_id", *cust)
	}
	if *staff != "" {
		q.Set("staff", *staff)
	}
	var out struct {
		Entries []localstore.AuditEntry `json:"entries"`
	}
	if printed, err := client().list("/v1/audit", q, *asJSON, &out); printed || err != nil {
		return err
	}
	t := stdoutTable("WHEN", "STAFF", "ACTION", "CUSTOMER", "VIA")
	for _, e := range out.Entries {
		t.row(time.Unix(0, e.At).Format("2006-01-02 15:04:05"), e.Staff, e.Action, e.CustomerID, e.Via)
	}
	t.flush()
	return nil
}
