"""Writes a small workbook seed for FuzzXLSX: the option byte 0, then a zip with two sheets that
use shared and inline strings, numbers, a date style, a boolean, an error, a formula and a merge."""
import io
import sys
import zipfile

R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
M = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
P = "http://schemas.openxmlformats.org/package/2006/relationships"
SHEET = (
    f'<worksheet xmlns="{M}"><sheetData>'
    '<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="inlineStr"><is><t>when</t></is></c></row>'
    '<row r="2"><c r="A2"><v>0.1</v></c><c r="B2" s="1"><v>44225</v></c><c r="C2" t="b"><v>1</v></c></row>'
    '<row r="3"><c r="A3" t="e"><v>#N/A</v></c><c r="B3"><f>A2*2</f><v>0.2</v></c></row>'
    '</sheetData><mergeCells count="1"><mergeCell ref="C2:C3"/></mergeCells></worksheet>'
)
buffer = io.BytesIO()
with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
    z.writestr("_rels/.rels", f'<Relationships xmlns="{P}"><Relationship Id="r1" Type="{R}/officeDocument" Target="xl/workbook.xml"/></Relationships>')
    z.writestr("xl/workbook.xml", f'<workbook xmlns="{M}" xmlns:r="{R}"><sheets><sheet name="a" sheetId="1" r:id="s1"/><sheet name="b" sheetId="2" r:id="s2"/></sheets></workbook>')
    z.writestr("xl/_rels/workbook.xml.rels", f'<Relationships xmlns="{P}"><Relationship Id="s1" Type="{R}/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="s2" Type="{R}/worksheet" Target="worksheets/sheet2.xml"/><Relationship Id="t" Type="{R}/sharedStrings" Target="sharedStrings.xml"/><Relationship Id="st" Type="{R}/styles" Target="styles.xml"/></Relationships>')
    z.writestr("xl/styles.xml", f'<styleSheet xmlns="{M}"><cellXfs><xf numFmtId="0"/><xf numFmtId="14"/></cellXfs></styleSheet>')
    z.writestr("xl/sharedStrings.xml", f'<sst xmlns="{M}"><si><t>name</t></si></sst>')
    z.writestr("xl/worksheets/sheet1.xml", SHEET)
    z.writestr("xl/worksheets/sheet2.xml", SHEET)
with open(sys.argv[1], "wb") as out:
    out.write(b"\0" + buffer.getvalue())
