package protocol

import "strconv"

// typeNames are the lowercase names of the known message types.
var typeNames = map[Type]string{
	TypeHello:         "hello",
	TypeWelcome:       "welcome",
	TypeEnroll:        "enroll",
	TypeEnrolled:      "enrolled",
	TypePush:          "push",
	TypeAck:           "ack",
	TypeFeedRequest:   "feed_request",
	TypeChanges:       "changes",
	TypeLookup:        "lookup",
	TypeLookupReply:   "lookup_reply",
	TypeError:         "error",
	TypeStatus:        "status",
	TypeRenew:         "renew",
	TypeRenewed:       "renewed",
	TypeCandidates:    "candidates",
	TypeCandidateList: "candidate_list",
	TypeDecide:        "decide",
	TypeDecided:       "decided",
}

// String returns the message's name, such as "push", or "type(N)" for an
// unknown type.
func (t Type) String() string {
	if name, ok := typeNames[t]; ok {
		return name
	}
	return "type(" + strconv.Itoa(int(t)) + ")"
}

// newMessage returns a pointer to a zero message of type t, or nil if t is
// unknown.
func newMessage(t Type) any {
	switch t {
	case TypeHello:
		return new(Hello)
	case TypeWelcome:
		return new(Welcome)
	case TypeEnroll:
		return new(Enroll)
	case TypeEnrolled:
		return new(Enrolled)
	case TypePush:
		return new(Push)
	case TypeAck:
		return new(Ack)
	case TypeFeedRequest:
		return new(FeedRequest)
	case TypeChanges:
		return new(Changes)
	case TypeLookup:
		return new(Lookup)
	case TypeLookupReply:
		return new(LookupReply)
	case TypeError:
		return new(Error)
	case TypeStatus:
		return new(Status)
	case TypeRenew:
		return new(Renew)
	case TypeRenewed:
		return new(Renewed)
	case TypeCandidates:
		return new(CandidatesRequest)
	case TypeCandidateList:
		return new(CandidateList)
	case TypeDecide:
		return new(Decide)
	case TypeDecided:
		return new(Decided)
	}
	return nil
}
