"""What analysts carry out of the tool: hotspot shortlist (.xlsx/.csv), briefing deck (.pptx) and
analysis report (.docx) for a period (see ``periods``). ``data.gather`` collects the numbers from the
engine once; each builder turns them into a file's bytes."""
