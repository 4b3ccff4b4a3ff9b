package state

import "errors"

// Errors of the state. Commands report them as text in Result.Error;
// ErrorFromText turns that text back into the sentinel.
var (
	// ErrUnknownToken means the enrolment token was never issued, was
	// already used, or expired: create a new one.
	ErrUnknownToken = errors.New("enrolment token unknown, used or expired: create a new one with `touchpoint-hub token create`")
	// ErrUnknownDealer means a dealer id is not registered.
	ErrUnknownDealer = errors.New("unknown dealer: add it with `touchpoint-hub dealer add`")
	// ErrUnknownCandidate means no match candidate has that id.
	ErrUnknownCandidate = errors.New("no such match candidate")
	// ErrCandidateDecided means the candidate was confirmed or rejected already.
	ErrCandidateDecided = errors.New("match candidate already decided")
	// ErrUnknownMerge means no merge has that id.
	ErrUnknownMerge = errors.New("no such merge")
	// ErrAlreadySplit means the merge was undone already.
	ErrAlreadySplit = errors.New("merge already split")
	// ErrUnknownAgent means no agent has that id.
	ErrUnknownAgent = errors.New("no such agent")
	// ErrAlreadyInitialised means the cluster already has its CA.
	ErrAlreadyInitialised = errors.New("cluster already initialised")
	// ErrUnknownCustomer means no customer has that id.
	ErrUnknownCustomer = errors.New("no such customer")
	// ErrBadSnapshot means a snapshot stream is damaged or not ours.
	ErrBadSnapshot = errors.New("snapshot is damaged or not a touchpoint hub snapshot")
)

// commandErrors are the errors Apply reports as text.
var commandErrors = []error{
	ErrUnknownToken, ErrUnknownDealer, ErrUnknownCandidate, ErrCandidateDecided,
	ErrUnknownMerge, ErrAlreadySplit, ErrUnknownAgent, ErrAlreadyInitialised, ErrUnknownCustomer,
}

// ErrorFromText returns the sentinel whose text a command reported, or a
// new error with that text.
func ErrorFromText(text string) error {
	for _, err := range commandErrors {
		if err.Error() == text {
			return err
		}
	}
	return errors.New(text)
}
