"""Event pack exports: chart images (kaleido), chart data (CSV, XLSX), the PowerPoint deck and the PDF briefing."""
