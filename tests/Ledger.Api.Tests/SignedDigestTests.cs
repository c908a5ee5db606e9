using System.Security.Cryptography;
using System.Text;
using Alba;
using Microsoft.Extensions.DependencyInjection;
using Salex.Ledger.Api.Features.Auditing;
using Salex.Ledger.Integrity;
using Salex.Projections.Integrity;
using Shouldly;

namespace Salex.Ledger.Api.Tests;

/// <summary>
/// A database writer who cuts a stream's tail, recomputes a chain with the ledger's own SQL function or deletes
/// the digest stream keeps every hash chain consistent; the signed digest archived outside the database still
/// catches each of them.
/// </summary>
public sealed class SignedDigestTests(LedgerHost fixture) : LedgerTest(fixture)
{
    private Task SqlAsync(string sql, params (string Name, object Value)[] parameters) => Host.PlantWithSqlAsync(sql, parameters);

    private DigestArchive Archive => Host.Services.GetRequiredService<DigestArchive>();

    private async Task<(string Number, DigestView Digest)> SignedLedgerAsync()
    {
        var number = await Host.EnrolAsync(enrolledOn: "2018-01-10");
        await Host.PayAsync(number, "2018-02-01", 60.00m, "T-1");   // v2 contribution, v3 credit of 4.08
        await Host.PayAsync(number, "2018-03-01", 55.92m, "T-2");   // v4 credit applied, v5 contribution, v6 credit: the head
        var result = await Host.Scenario(s =>
        {
            s.Post.Url("/api/admin/digest");
            s.WithRequestHeader("X-Api-Key", Keys.Admin);
            s.StatusCodeShouldBe(201);
        });
        return (number, (await result.ReadAsJsonAsync<DigestView>())!);
    }

    private async Task<IReadOnlyList<string>> FindingsAsync()
    {
        var chains = new List<string>();
        await foreach (var s in new ChainVerifier(Fixture.Store).VerifyAllAsync(CancellationToken.None))
            if (s.BrokenLink is { } link) chains.Add($"{s.StreamId}: {link.Reason}");
        var digests = await new DigestVerifier(Fixture.Store, Archive).VerifyAsync(null, CancellationToken.None);
        return [.. chains, .. digests.Problems];
    }

    [Fact]
    public async Task a_digest_is_signed_archived_outside_the_database_and_verifies_offline()
    {
        var (_, digest) = await SignedLedgerAsync();

        digest.Signature.ShouldNotBeNull();
        digest.KeyId.ShouldBe(Archive.Signature!.KeyId);
        (await FindingsAsync()).ShouldBeEmpty();
        var archived = await Host.GetJsonAsync<ArchivedDigest>($"/api/digests/{digest.Date}/signed", Keys.Auditor);
        archived.Heads.Count.ShouldBe(digest.Streams);
        LedgerDigest.Hash(archived.Heads).ShouldBe(digest.Digest);

        // Offline, with the public key alone, as openssl would: the signed text and the DER signature.
        using var key = ECDsa.Create();
        key.ImportFromPem(archived.PublicKey);
        key.VerifyData(Encoding.UTF8.GetBytes(archived.SignedText), Convert.FromBase64String(archived.Signature!),
            HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence).ShouldBeTrue();
        var recorded = archived.ToRecorded().ShouldNotBeNull();
        DigestSignature.SignedText(recorded).ShouldBe(archived.SignedText);
        var publicKey = DigestSignature.FromPublicKeyPem(archived.PublicKey!);
        publicKey.Verifies(recorded).ShouldBeTrue();
        publicKey.Verifies(recorded with { Digest = new string('0', 64) }).ShouldBeFalse();
    }

    [Fact]
    public async Task a_transaction_still_open_when_the_digest_starts_is_waited_for_so_the_digest_matches_afterwards()
    {
        var number = await Host.EnrolAsync(enrolledOn: "2018-01-10");
        // A writer takes a sequence number and keeps its transaction open…
        await using var writer = Fixture.Store.Storage.Database.CreateConnection();
        await writer.OpenAsync();
        await using var open = await writer.BeginTransactionAsync();
        await using (var append = new Npgsql.NpgsqlCommand(
            "select salex.mt_quick_append_events('in-flight', null, '*DEFAULT*', array[gen_random_uuid()], " +
            "array['in_flight_test'::varchar], array[null::varchar], array['{}'::jsonb], null, array[null::varchar], " +
            "array[null::varchar], array['{}'::jsonb], array['test'::varchar], array[now()], null)", writer, open))
            await append.ExecuteNonQueryAsync();
        // …while a payment commits events with higher ones, and the digest is asked for.
        await Host.PayAsync(number, "2018-02-01", 55.92m, "T-1");
        var recording = Host.Scenario(s =>
        {
            s.Post.Url("/api/admin/digest");
            s.WithRequestHeader("X-Api-Key", Keys.Admin);
            s.StatusCodeShouldBe(201);
        });
        await Task.Delay(TimeSpan.FromMilliseconds(500));
        await open.CommitAsync();
        var made = (await (await recording).ReadAsJsonAsync<DigestView>())!;

        // The event the open transaction committed lies below the digest's sequence: the digest waited for it, so the
        // digest recomputed later from the same sequence is the one recorded (before, it was not: a false alarm).
        var check = await Host.GetJsonAsync<DigestCheck>($"/api/digests/{made.Date}", Keys.Auditor);
        check.Recomputed.ShouldBe(made.Digest);
        check.Matches.ShouldBeTrue();
        (await FindingsAsync()).ShouldBeEmpty();
    }

    [Fact]
    public async Task digests_made_at_once_each_get_their_own_version_and_archive_the_event_they_are()
    {
        var number = await Host.EnrolAsync(enrolledOn: "2018-01-10");
        // The first digests of a ledger start its digest stream (two once both did: a 500), and a version read back
        // after the commit could be another's.
        var made = await Task.WhenAll(Enumerable.Range(0, 8).Select(async i =>
        {
            if (i % 2 == 0) await Host.PayAsync(number, "2018-02-01", 1.00m, $"T-{i}");
            var result = await Host.Scenario(s =>
            {
                s.Post.Url("/api/admin/digest");
                s.WithRequestHeader("X-Api-Key", Keys.Admin);
                s.StatusCodeShouldBe(201);
            });
            return (await result.ReadAsJsonAsync<DigestView>())!;
        }));

        made.Select(d => d.Version).Order().ShouldBe([1, 2, 3, 4, 5, 6, 7, 8]);
        var listed = await Host.GetJsonAsync<List<DigestView>>("/api/digests", Keys.Auditor);
        foreach (var digest in made)
        {
            listed.Single(l => l.Version == digest.Version).Digest.ShouldBe(digest.Digest);
            (await Archive.OfVersionAsync(digest.Version, CancellationToken.None))!.Digest.ShouldBe(digest.Digest);
        }
        (await FindingsAsync()).ShouldBeEmpty();
    }

    private async Task<LedgerDigests.ArchiveRepair> CheckArchiveAsync()
    {
        await using var session = Fixture.Store.QuerySession();
        var latest = (await LedgerDigests.RecordedAsync(session, CancellationToken.None))[^1];
        return await LedgerDigests.ArchiveIfMissingAsync(Fixture.Store, Archive, latest, CancellationToken.None);
    }

    [Fact]
    public async Task a_digest_whose_file_was_never_written_is_archived_by_the_next_check_as_it_was_made()
    {
        var (_, digest) = await SignedLedgerAsync();
        var made = (await Archive.OfVersionAsync(digest.Version, CancellationToken.None))!;
        (await CheckArchiveAsync()).ShouldBe(LedgerDigests.ArchiveRepair.NothingMissing);
        // The process stopped between the digest's commit and its file.
        File.Delete(Path.Combine(Archive.Folder!, $"ledger-digest-{digest.Version:D8}.json"));
        (await Archive.OfVersionAsync(digest.Version, CancellationToken.None)).ShouldBeNull();

        (await CheckArchiveAsync()).ShouldBe(LedgerDigests.ArchiveRepair.Written);

        var written = (await Archive.OfVersionAsync(digest.Version, CancellationToken.None))!;
        written.SignedText.ShouldBe(made.SignedText);
        written.Signature.ShouldBe(made.Signature);
        written.Heads.ShouldBe(made.Heads);
        (await FindingsAsync()).ShouldBeEmpty();
    }

    [Fact]
    public async Task a_missing_file_is_not_written_from_a_ledger_changed_since_the_digest()
    {
        var (number, digest) = await SignedLedgerAsync();
        File.Delete(Path.Combine(Archive.Folder!, $"ledger-digest-{digest.Version:D8}.json"));
        // The head's hash rewritten behind the ledger's back: the heads no longer hash to the digest.
        await SqlAsync("update salex.event_hashes set hash = repeat('0', 64) where stream_id = @n and version = 6",
            ("n", number));

        (await CheckArchiveAsync()).ShouldBe(LedgerDigests.ArchiveRepair.HeadsNoLongerMatch);
        (await Archive.OfVersionAsync(digest.Version, CancellationToken.None)).ShouldBeNull();
    }

    [Fact]
    public async Task a_cut_tail_is_found_though_the_chain_that_is_left_is_whole()
    {
        var (number, _) = await SignedLedgerAsync();

        // The last event and its hash removed, the stream's version put back: the chain that is left is consistent.
        await SqlAsync("""
            delete from salex.event_hashes where stream_id = @s and version = (select max(version) from salex.mt_events where stream_id = @s);
            delete from salex.mt_events where stream_id = @s and version = (select max(version) from salex.mt_events where stream_id = @s);
            update salex.mt_streams set version = version - 1 where id = @s;
            """, ("s", number));

        var findings = await FindingsAsync();
        findings.ShouldHaveSingleItem().ShouldContain($"stream {number}: version 6");
        findings[0].ShouldContain("is gone");
    }

    [Fact]
    public async Task a_chain_recomputed_with_the_ledgers_own_function_is_found()
    {
        var (number, _) = await SignedLedgerAsync();

        await SqlAsync("update salex.mt_events set data = jsonb_set(data, '{amount}', '40.08') where stream_id = @s and version = 3",
            ("s", number));
        await SqlAsync("""
            do $$ declare r record; prev varchar; begin
              for r in select * from salex.mt_events where stream_id = (select stream_id from salex.mt_events
                         where data->>'amount' = '40.08' limit 1) order by version loop
                if r.version >= 3 then
                  update salex.event_hashes set hash = salex.event_chain_hash(r.stream_id, r.version, r.id, r.type, r.timestamp,
                    r.data, r.headers, r.correlation_id, r.causation_id, r.user_name, prev)
                  where stream_id = r.stream_id and version = r.version;
                end if;
                select hash into prev from salex.event_hashes where stream_id = r.stream_id and version = r.version;
              end loop; end $$;
            update salex.mt_streams set version = version where id = @s;
            """, ("s", number));

        var findings = await FindingsAsync();
        findings.ShouldHaveSingleItem().ShouldContain($"stream {number}: version 6 has hash");
        findings[0].ShouldContain("rewritten");
    }

    [Fact]
    public async Task a_deleted_digest_stream_is_found()
    {
        await SignedLedgerAsync();

        await SqlAsync("delete from salex.mt_streams where id = 'ledger-digest'; delete from salex.mt_events where stream_id = 'ledger-digest';");

        (await FindingsAsync()).ShouldHaveSingleItem().ShouldContain("no longer holds digest v1");
    }

    [Fact]
    public async Task a_forged_digest_event_does_not_verify()
    {
        var (_, digest) = await SignedLedgerAsync();

        await SqlAsync("update salex.mt_events set data = jsonb_set(data, '{events}', '999') where stream_id = 'ledger-digest'");

        (await FindingsAsync()).ShouldContain(f => f.Contains("signature does not verify"));
        digest.Events.ShouldNotBe(999);
    }

    [Fact]
    public async Task a_damaged_digest_file_is_reported_not_thrown_and_an_unreadable_latest_one_is_a_finding()
    {
        var (_, digest) = await SignedLedgerAsync();
        var archived = await Host.GetJsonAsync<ArchivedDigest>($"/api/digests/{digest.Date}/signed", Keys.Auditor);

        // An auditor's copy damaged in transit: hashes cut short.
        var damaged = archived with { Digest = "0bad", Heads = [.. archived.Heads.Select(h => h with { Hash = "ff" })] };
        var found = await new DigestVerifier(Fixture.Store, Archive).VerifyAsync(damaged, CancellationToken.None);
        found.Problems.ShouldNotBeEmpty();
        found.Problems.ShouldContain(p => p.Contains("no longer holds digest") && p.Contains("0bad"));

        // The latest file of the archive replaced by something that is not a digest: verification does not pass.
        foreach (var text in new[] { "null", "{}", "{\"version\": 1", "[]" })
        {
            await File.WriteAllTextAsync(Path.Combine(Archive.Folder!, "ledger-digest-99999999.json"), text);
            var latest = await new DigestVerifier(Fixture.Store, Archive).VerifyAsync(null, CancellationToken.None);
            latest.Holds.ShouldBeFalse(text);
            latest.Problems.ShouldContain(p => p.Contains("ledger-digest-99999999.json"), text);
        }
    }
    /// <summary>The verifier run with an archive folder that holds none of the signed digests the database records
    /// (another content root, a wrong setting, the files removed) checked no head: that is a finding, not a pass.</summary>
    [Fact]
    public async Task an_archive_that_holds_none_of_the_signed_digests_recorded_is_a_finding()
    {
        await SignedLedgerAsync();
        foreach (var file in Directory.EnumerateFiles(Archive.Folder!, "ledger-digest-*.json"))
            File.Delete(file);

        var found = await new DigestVerifier(Fixture.Store, Archive).VerifyAsync(null, CancellationToken.None);

        found.Holds.ShouldBeFalse();
        found.Problems.ShouldContain(p => p.Contains("1 signed digest(s) are recorded but the archive") && p.Contains("holds none"));
    }
}
