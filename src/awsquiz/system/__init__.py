"""The machine: where files live, what time it is, JSON, and writing whole files safely."""
