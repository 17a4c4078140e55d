"""Realistic report PDFs made as publishers make them (issue 13): reports written as Word documents with real
tables (merged cells, vertical group labels, repeated header rows, page-number footers) and exported to PDF by
LibreOffice headless with real CJK fonts. `python -m training.office.make_office_pdfs --out DIR`; OS packages in
`install_office.sh`; `python -m training.office.verify DIR` reads the tables back with pdfplumber.
"""
