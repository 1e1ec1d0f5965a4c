"""Who takes a handed-off lead: fewest open leads for one's weight first, ties
by round robin, members at their capacity skipped.

A member's share is their open leads divided by their weight (1 for everyone
unless the team weighs its members by their results, see ``darwin.py``): a
member of weight 1.5 takes three leads while one of weight 0.5 takes one.
Shares are exact fractions, so that equal shares are a tie that round robin
decides, not float noise.

A pool is the set of members that may take a given lead (one team, one role,
one company). Requests are served in the order given, so the same input always
gives the same owners. Round robin is kept across calls by a ticket per member:
the member served longest ago holds the lowest ticket and wins a tie.
"""

import heapq
from dataclasses import dataclass
from fractions import Fraction


@dataclass(frozen=True)
class Candidate:
    key: int  # the membership id, also the last tie-breaker
    load: int  # open leads owned now
    capacity: int  # most open leads allowed; 0 means no limit
    ticket: int  # round-robin turn last served; lower has waited longer
    weight: float = 1.0  # leads taken in proportion to it; above 0


def _has_room(load, capacity):
    return not capacity or load < capacity


def _share(load, weight):
    """Open leads for one's weight; a weight of 1 keeps the plain count."""
    return load if weight == 1 else Fraction(load) / weight


def pick_owners(requests, pools):
    """Serves ``requests`` (pairs ``(request_key, pool_key)``) from ``pools``
    (``{pool_key: [Candidate, ...]}``).

    Returns ``(owners, tickets)``: ``owners`` maps each request key to the
    chosen candidate key, or ``None`` when nobody in its pool has room;
    ``tickets`` maps each served candidate key to its new ticket. A candidate
    in several pools shares one load and one ticket.
    """
    if any(cand.capacity < 0 or cand.load < 0 for pool in pools.values() for cand in pool):
        raise ValueError("Loads and capacities cannot be negative.")
    if any(not cand.weight > 0 for pool in pools.values() for cand in pool):
        raise ValueError("Weights must be above 0.")
    loads, capacities, tickets, weights = {}, {}, {}, {}
    for pool in pools.values():
        for cand in pool:
            loads[cand.key] = cand.load
            capacities[cand.key] = cand.capacity
            tickets[cand.key] = cand.ticket
            # exact: 1.25 is 5/4, so equal shares compare equal
            weights[cand.key] = 1 if cand.weight == 1 else Fraction(str(cand.weight))
    next_ticket = max(tickets.values(), default=0) + 1
    heaps = {
        pool_key: [
            (_share(cand.load, weights[cand.key]), cand.ticket, cand.key, cand.load)
            for cand in pool
        ]
        for pool_key, pool in pools.items()
    }
    for heap in heaps.values():
        heapq.heapify(heap)
    state = (loads, capacities, tickets, weights)
    owners, served = {}, {}
    for request_key, pool_key in requests:
        owner = _serve(heaps.get(pool_key, []), state, next_ticket)
        owners[request_key] = owner
        if owner is not None:
            served[owner] = next_ticket
            next_ticket += 1
    return owners, served


def _serve(heap, state, next_ticket):
    """Pops the best candidate with room; stale entries (a shared candidate
    served from another pool) are refreshed instead of trusted."""
    loads, capacities, tickets, _weights = state
    while heap:
        _share_now, ticket, key, load = heap[0]
        if (load, ticket) != (loads[key], tickets[key]):
            heapq.heapreplace(heap, _entry(key, state))
            continue
        if not _has_room(load, capacities[key]):
            heapq.heappop(heap)
            continue
        loads[key] += 1
        tickets[key] = next_ticket
        heapq.heapreplace(heap, _entry(key, state))
        return key
    return None


def _entry(key, state):
    loads, _capacities, tickets, weights = state
    return (_share(loads[key], weights[key]), tickets[key], key, loads[key])
