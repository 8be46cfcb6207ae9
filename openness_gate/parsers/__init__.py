"""Parsers shared by the detectors: safe YAML, Hugging Face front matter, Markdown/HTML headings."""
