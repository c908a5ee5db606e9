namespace Salex.Ledger.Tests;

/// <summary>camt.053 statements for the tests (shared with the HTTP tests by a linked file).</summary>
public static class CamtSamples
{
    public static string Statement(string entries, string servicer = "<Othr><Id>agricola</Id></Othr><BICFI>AGRISVSS</BICFI>") => $"""
        <?xml version="1.0" encoding="UTF-8"?>
        <Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.08">
          <BkToCstmrStmt>
            <GrpHdr><MsgId>STMT-1</MsgId><CreDtTm>2024-03-06T06:00:00-06:00</CreDtTm></GrpHdr>
            <Stmt>
              <Id>S-1</Id>
              <Acct><Id><Othr><Id>ISSS-SALEX</Id></Othr></Id><Svcr><FinInstnId>{servicer}</FinInstnId></Svcr></Acct>
              <Bal><Tp><CdOrPrtry><Cd>CLBD</Cd></CdOrPrtry></Tp><Amt Ccy="USD">1000.00</Amt><CdtDbtInd>CRDT</CdtDbtInd><Dt><Dt>2024-03-05</Dt></Dt></Bal>
              {entries}
            </Stmt>
          </BkToCstmrStmt>
        </Document>
        """;

    public static string Entry(string amount, string remittance, string reference, string booking = "<DtTm>2024-03-05T10:15:00-06:00</DtTm>",
        string direction = "CRDT", string status = "<Sts><Cd>BOOK</Cd></Sts>", string currency = "USD", string code = "RCDT") => $"""
        <Ntry>
          <Amt Ccy="{currency}">{amount}</Amt><CdtDbtInd>{direction}</CdtDbtInd>{status}
          <BookgDt>{booking}</BookgDt><ValDt><Dt>2024-03-05</Dt></ValDt>
          <AcctSvcrRef>{reference}</AcctSvcrRef>
          <BkTxCd><Domn><Cd>PMNT</Cd><Fmly><Cd>RCDT</Cd><SubFmlyCd>{code}</SubFmlyCd></Fmly></Domn></BkTxCd>
          <NtryDtls><TxDtls><RmtInf><Ustrd>{remittance}</Ustrd></RmtInf></TxDtls></NtryDtls>
        </Ntry>
        """;
}
