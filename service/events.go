package service

import (
	"context"
	"github.com/contactgate/contactgate/gormstore"

	"github.com/contactgate/contactgate/gatebus"
	"github.com/contactgate/contactgate/models"
)

// BusEvents announces changes on the gate bus (every replica's live
// views) and wakes the outbox worker.
type BusEvents struct {
	// Ctx bounds publishing; it outlives the requests in flight.
	Ctx  context.Context
	Bus  *gatebus.Bus
	Kick func()
	// OnReachability, when set, also hears every reachability change
	// (after the bus), e.g. for webhooks.
	OnReachability func(ReachabilityChange)
}

func (e BusEvents) GateChanged(accountID string) { e.Bus.Publish(e.Ctx, accountID) }

// AccessChanged travels on the gate bus too, so that subscriptions on
// every replica re-check their caller at once.
func (e BusEvents) AccessChanged(key string) { e.Bus.Publish(e.Ctx, key) }

func (e BusEvents) MailQueued() {
	if e.Kick != nil {
		e.Kick()
	}
}

// ReviewDue and MemberRemoved have no live view yet: webhooks (issue 16)
// hook them here.
func (e BusEvents) ReviewDue(string, models.ReminderKind) {}
func (e BusEvents) MemberRemoved(string, string, string)  {}

// ReachabilityChanged travels on the gate bus under the account's
// reachability key, so that open portals on every replica refresh.
func (e BusEvents) ReachabilityChanged(c ReachabilityChange) {
	e.Bus.Publish(e.Ctx, gormstore.ReachabilityKey(c.AccountID))
	if e.OnReachability != nil {
		e.OnReachability(c)
	}
}
