"""`ssbkg intake`: a new article read, the store's names found in it, and the claims it makes drafted
for an analyst to review (reading, finding, drafting). Intake writes nothing to the store."""
