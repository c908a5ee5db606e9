using System.Text;

namespace Salex.Ledger.Api.Features.OperationsConsole;

/// <summary>A console page: UTF-8 HTML that no cache keeps (it shows personal data) and no other site may frame or
/// script.</summary>
public sealed class HtmlResult(string html, int status) : IResult, IStatusCodeHttpResult
{
    public int? StatusCode => status;

    public async Task ExecuteAsync(HttpContext context)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "text/html; charset=utf-8";
        ConsoleEndpoints.SecurityHeaders(context.Response);
        var bytes = Encoding.UTF8.GetBytes(html);
        context.Response.ContentLength = bytes.Length;
        await context.Response.Body.WriteAsync(bytes);
    }
}
