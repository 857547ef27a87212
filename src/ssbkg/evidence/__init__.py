"""Reasoning over the evidence: the chain behind a claim (explain), what changed in a period
(changes), everything shown about one alliance (alliance), and its picture (network)."""
