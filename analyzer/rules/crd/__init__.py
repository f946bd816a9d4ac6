"""Custom resources judged against the CustomResourceDefinitions of the input: which CRD version a
resource names (:mod:`.definitions`), its structural schema (:mod:`analyzer.model.structural`)
and its ``x-kubernetes-validations`` rules in CEL (:mod:`.validations`); used by the predicate
``crd-schema`` (rules ``crd-schema-invalid`` and ``crd-validation-failed``)."""
