"""CEL in kubesnap: the engine adapter (:mod:`.engine`), the Kubernetes CEL libraries
(:mod:`.library`), the graph functions and the v2 rule form's evaluation."""
