"""Who takes a handed-off lead: fewest open leads first, ties by round robin,
members at their capacity skipped.

A pool is the set of members that may take a given lead (one team, one role,
one company). Requests are served in the order given, so the same input always
gives the same owners. Round robin is kept across calls by a ticket per member:
the member served longest ago holds the lowest ticket and wins a tie.
"""

import heapq
from dataclasses import dataclass


@dataclass(frozen=True)
class Candidate:
    key: int  # the membership id, also the last tie-breaker
    load: int  # open leads owned now
    capacity: int  # most open leads allowed; 0 means no limit
    ticket: int  # round-robin turn last served; lower has waited longer


def _has_room(load, capacity):
    return not capacity or load < capacity


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
    loads, capacities, tickets = {}, {}, {}
    for pool in pools.values():
        for cand in pool:
            loads[cand.key] = cand.load
            capacities[cand.key] = cand.capacity
            tickets[cand.key] = cand.ticket
    next_ticket = max(tickets.values(), default=0) + 1
    heaps = {
        pool_key: [(cand.load, cand.ticket, cand.key) for cand in pool]
        for pool_key, pool in pools.items()
    }
    for heap in heaps.values():
        heapq.heapify(heap)
    owners, served = {}, {}
    for request_key, pool_key in requests:
        owner = _serve(heaps.get(pool_key, []), loads, capacities, tickets, next_ticket)
        owners[request_key] = owner
        if owner is not None:
            served[owner] = next_ticket
            next_ticket += 1
    return owners, served


def _serve(heap, loads, capacities, tickets, next_ticket):
    """Pops the best candidate with room; stale entries (a shared candidate
    served from another pool) are refreshed instead of trusted."""
    while heap:
        load, ticket, key = heap[0]
        if (load, ticket) != (loads[key], tickets[key]):
            heapq.heapreplace(heap, (loads[key], tickets[key], key))
            continue
        if not _has_room(load, capacities[key]):
            heapq.heappop(heap)
            continue
        loads[key] += 1
        tickets[key] = next_ticket
        heapq.heapreplace(heap, (loads[key], tickets[key], key))
        return key
    return None
