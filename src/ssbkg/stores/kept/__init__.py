"""Answers kept current at write time: the fast path of the stored queries that aggregate over claims.

The stored `.rq` files stay the definitions. At each write the store re-derives, for the keys the write
touches, a compact record of what the query's answer is made of (members.py), and keeps the records
beside the registry (upkeep.py), stamped with the content versions they were derived from. A read uses
them only when that stamp is the store's current state; anything else is answered by the definition.
ssbkg.querying.kept reads them; tests/contract/test_answers.py holds the two equal.
"""
