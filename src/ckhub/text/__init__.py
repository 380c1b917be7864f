"""Language handling: normalization, language detection, PII redaction, segmentation."""
