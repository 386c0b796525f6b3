"""claimscope: a source-attributed ledger of news articles."""
