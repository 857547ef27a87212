"""Changing the store, always through the gate and all or nothing: files loaded (loading, into the
graph targets names), claims made into triples (claim_triples) and recorded (claims), duplicates left
out (duplicates), retractions (retraction), derived graphs (inference), the bundled data (seed), and
graphs listed, dropped and exported as a whole (graphs)."""
