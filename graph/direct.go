package graph

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"strconv"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/contactgate/contactgate/graph/model"
	"github.com/contactgate/contactgate/models"
	"github.com/vektah/gqlparser/v2/ast"
)

// Direct rendering of a preloaded staff page.
//
// Once preloadAccounts has loaded everything a page's query selects on its
// accounts, every value of the page is either a field of a loaded row or
// a resolver that reads a primed loader or computes. gqlgen would still
// give each of the page's ~7,000 values a field context, a context, a
// Marshaler and a slot in a field set. renderAccountPage instead compiles
// the query's selection once per page (directPlan: response keys, field
// writers, arguments, the @member checks the schema puts on the fields)
// and writes the page's JSON in one buffer, calling the same resolvers
// and the same directive functions gqlgen calls, in the same order of
// keys. Anything it does not cover — a type or field not in directTypes, a
// field-level directive other than @member, @defer — and any error or
// null where the schema forbids one makes it hand the page, unchanged, to
// gqlgen's generated marshaller, which answers it with its usual errors
// and paths. The output is the same bytes (TestDirectPageMatchesExecutor
// compares them field by field over every covered field).

// errNotDirect: the page goes through gqlgen's executor.
var errNotDirect = errors.New("not rendered directly")

// directWriter writes one field's value of obj.
type directWriter func(d *directRender, obj any, f *directField) error

// directType is a type the direct renderer covers: gqlgen's implementor
// list for collecting fields, and a writer for each covered field. child
// names the object type of a field's value (object or list of objects).
type directType struct {
	implementors []string
	fields       map[string]directFieldDef
}

type directFieldDef struct {
	child string
	// reads is what gqlgen's generated field reads, "obj.Field" or
	// "Resolvers.Type().Method", and what write reads too:
	// TestDirectWritersReadWhatTheExecutorReads holds it to the generated
	// executor, so that a field made a resolver later cannot be rendered
	// from the model behind the resolver's back.
	reads string
	write directWriter
}

// directField is one field of a compiled selection.
type directField struct {
	key   string
	name  string
	args  map[string]any
	write directWriter
	child *directPlan
	// member: the field's definition carries @member(role, staff).
	member *memberCheck
}

type memberCheck struct {
	role  models.Role
	staff bool
}

// directPlan is a compiled selection on one object type.
type directPlan struct {
	typeName string
	fields   []directField
}

// compileDirect compiles sel on typeName, or answers errNotDirect.
func compileDirect(oc *graphql.OperationContext, sel ast.SelectionSet, typeName string) (*directPlan, error) {
	t, ok := directTypes[typeName]
	if !ok {
		return nil, errNotDirect
	}
	collected := graphql.CollectFields(oc, sel, t.implementors)
	p := &directPlan{typeName: typeName, fields: make([]directField, 0, len(collected))}
	for _, f := range collected {
		if f.IsDeferred() || !onlySkipInclude(f.Directives) {
			return nil, errNotDirect
		}
		df := directField{key: f.Alias, name: f.Name}
		if f.Name == "__typename" {
			p.fields = append(p.fields, df)
			continue
		}
		def, ok := t.fields[f.Name]
		if !ok || f.Definition == nil {
			return nil, errNotDirect
		}
		df.write = def.write
		for _, d := range f.Definition.Directives {
			if codegenDirectives[d.Name] {
				continue
			}
			if d.Name != "member" {
				return nil, errNotDirect
			}
			args := d.ArgumentMap(oc.Variables)
			role, _ := args["role"].(string)
			staff, _ := args["staff"].(bool)
			df.member = &memberCheck{role: models.Role(role), staff: staff}
		}
		if len(f.Arguments) > 0 || len(f.Definition.Arguments) > 0 {
			df.args = f.ArgumentMap(oc.Variables)
		}
		if def.child != "" {
			child, err := compileDirect(oc, f.Selections, def.child)
			if err != nil {
				return nil, err
			}
			df.child = child
		}
		p.fields = append(p.fields, df)
	}
	return p, nil
}

// codegenDirectives act when gqlgen generates code, never when a query
// runs. Any other directive on a field's definition is an executor's
// (authorization): @member the direct renderer runs itself, the rest it
// leaves to gqlgen.
var codegenDirectives = map[string]bool{"goField": true, "goModel": true, "goTag": true, "goExtraField": true,
	"goEnum": true, "deprecated": true}

func onlySkipInclude(ds ast.DirectiveList) bool {
	for _, d := range ds {
		if d.Name != "skip" && d.Name != "include" {
			return false
		}
	}
	return true
}

// renderAccountPage replaces the generated marshaller of Query.accounts'
// connection (internal/gqlgenseq): a preloaded page is rendered directly,
// anything else by marshal.
func (ec *executionContext) renderAccountPage(ctx context.Context, sel ast.SelectionSet, v *model.AccountConnection,
	marshal func(context.Context, ast.SelectionSet, *model.AccountConnection) graphql.Marshaler) graphql.Marshaler {
	r, ok := ec.Resolvers.(*Resolver)
	if !ok || v == nil || r.GeneralExecutorOnly.Load() {
		return marshal(ctx, sel, v)
	}
	l := loadersFrom(ctx)
	for _, e := range v.Edges {
		if e == nil || e.Node == nil || !l.isPreloaded(e.Node.ID) {
			return marshal(ctx, sel, v)
		}
	}
	plan, err := compileDirect(ec.OperationContext, sel, "AccountConnection")
	if err != nil {
		return marshal(ctx, sel, v)
	}
	d := &directRender{ctx: ctx, ec: ec, account: r.Account(), contactInfo: r.ContactInfo(), contact: r.Contact(),
		member: r.Member(), accessGate: r.AccessGate(), supportHours: r.SupportHours()}
	d.buf = takeBuffer(ctx, 1024+1536*len(v.Edges))
	if err := d.object(plan, v); err != nil {
		return marshal(ctx, sel, v)
	}
	if r.OnDirect != nil {
		r.OnDirect("accounts")
	}
	out := d.buf.Bytes()
	if ll, _ := ctx.Value(loadersKey{}).(*lazyLoaders); ll != nil {
		ll.rendered.Add(int64(len(out)))
	}
	return graphql.WriterFunc(func(w io.Writer) { _, _ = w.Write(out) })
}

// directRender writes one compiled selection's JSON.
type directRender struct {
	ctx context.Context
	ec  *executionContext
	buf *bytes.Buffer
	// own is buf for a render whose bytes are not reused (DirectGate's):
	// in the same allocation as the renderer.
	own bytes.Buffer
	// The resolvers, taken once per page rather than once per value.
	account      AccountResolver
	contactInfo  ContactInfoResolver
	contact      ContactResolver
	member       MemberResolver
	accessGate   AccessGateResolver
	supportHours SupportHoursResolver
}

func (d *directRender) object(p *directPlan, obj any) error {
	d.buf.WriteByte('{')
	for i := range p.fields {
		f := &p.fields[i]
		if i > 0 {
			d.buf.WriteByte(',')
		}
		d.string(f.key)
		d.buf.WriteByte(':')
		if f.write == nil { // __typename
			d.string(p.typeName)
			continue
		}
		if f.member != nil {
			if err := d.authorize(obj, f.member); err != nil {
				return err
			}
		}
		if err := f.write(d, obj, f); err != nil {
			return err
		}
	}
	d.buf.WriteByte('}')
	return nil
}

// authorize runs the schema's @member on obj, through the same directive
// function gqlgen's executor calls.
func (d *directRender) authorize(obj any, m *memberCheck) error {
	if d.ec.Directives.Member == nil {
		return errNotDirect
	}
	_, err := d.ec.Directives.Member(d.ctx, obj, allowed, m.role, m.staff)
	return err
}

func allowed(context.Context) (any, error) { return nil, nil }

// string writes s quoted as gqlgen's MarshalString does.
func (d *directRender) string(s string) {
	const hex = "0123456789ABCDEF"
	d.buf.WriteByte('"')
	start := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 0x20 && c != '\\' && c != '"' {
			continue
		}
		d.buf.WriteString(s[start:i])
		switch c {
		case '\t':
			d.buf.WriteString(`\t`)
		case '\r':
			d.buf.WriteString(`\r`)
		case '\n':
			d.buf.WriteString(`\n`)
		case '\\':
			d.buf.WriteString(`\\`)
		case '"':
			d.buf.WriteString(`\"`)
		default:
			d.buf.WriteString(`\u00`)
			d.buf.WriteByte(hex[c>>4])
			d.buf.WriteByte(hex[c&0xf])
		}
		start = i + 1
	}
	d.buf.WriteString(s[start:])
	d.buf.WriteByte('"')
}

func (d *directRender) optString(s *string) {
	if s == nil {
		d.null()
		return
	}
	d.string(*s)
}

func (d *directRender) null() { d.buf.WriteString("null") }

func (d *directRender) bool(b bool) {
	if b {
		d.buf.WriteString("true")
	} else {
		d.buf.WriteString("false")
	}
}

func (d *directRender) int(n int) {
	var tmp [20]byte
	d.buf.Write(strconv.AppendInt(tmp[:0], int64(n), 10))
}

// time writes a non-null Time as graphql.MarshalTime does; the zero time
// is null there, an error for a non-null field.
func (d *directRender) time(t time.Time) error {
	if t.IsZero() {
		return errNotDirect
	}
	var tmp [40]byte
	d.buf.WriteByte('"')
	d.buf.Write(t.AppendFormat(tmp[:0], time.RFC3339Nano))
	d.buf.WriteByte('"')
	return nil
}

func (d *directRender) optTime(t *time.Time) {
	if t == nil || t.IsZero() {
		d.null()
		return
	}
	_ = d.time(*t)
}

func (d *directRender) enum(e graphql.Marshaler) { e.MarshalGQL(d.buf) }

func enumList[E graphql.Marshaler](d *directRender, es []E) {
	d.buf.WriteByte('[')
	for i, e := range es {
		if i > 0 {
			d.buf.WriteByte(',')
		}
		e.MarshalGQL(d.buf)
	}
	d.buf.WriteByte(']')
}

// objects writes a non-null list of non-null objects.
func objects[T any](d *directRender, f *directField, list []*T) error {
	d.buf.WriteByte('[')
	for i, o := range list {
		if o == nil {
			return errNotDirect
		}
		if i > 0 {
			d.buf.WriteByte(',')
		}
		if err := d.object(f.child, o); err != nil {
			return err
		}
	}
	d.buf.WriteByte(']')
	return nil
}

// requiredObject writes a non-null object; optObject a nullable one.
func requiredObject[T any](d *directRender, f *directField, o *T, err error) error {
	if err != nil {
		return err
	}
	if o == nil {
		return errNotDirect
	}
	return d.object(f.child, o)
}

func optObject[T any](d *directRender, f *directField, o *T, err error) error {
	if err != nil {
		return err
	}
	if o == nil {
		d.null()
		return nil
	}
	return d.object(f.child, o)
}

// field adapts a writer of one concrete type.
func field[T any](write func(d *directRender, obj *T, f *directField) error) directWriter {
	return func(d *directRender, obj any, f *directField) error {
		o, ok := obj.(*T)
		if !ok || o == nil {
			return fmt.Errorf("direct render: %T is not %T", obj, o)
		}
		return write(d, o, f)
	}
}

// leaf adapts a writer of a value that cannot fail.
func leaf[T any](write func(d *directRender, obj *T)) directWriter {
	return field(func(d *directRender, obj *T, _ *directField) error { write(d, obj); return nil })
}

// directTypes are the types and fields of a staff page the direct renderer
// covers; each writer reads what the generated executor reads (the model
// field, or the resolver it calls).
var directTypes map[string]directType

func init() {
	directTypes = map[string]directType{
		"AccountConnection": {accountConnectionImplementors, map[string]directFieldDef{
			"edges": {"AccountEdge", "obj.Edges", field(func(d *directRender, c *model.AccountConnection, f *directField) error {
				return objects(d, f, c.Edges)
			})},
			"pageInfo": {"PageInfo", "obj.PageInfo", field(func(d *directRender, c *model.AccountConnection, f *directField) error {
				return requiredObject(d, f, c.PageInfo, nil)
			})},
			"totalCount": {"", "obj.TotalCount", leaf(func(d *directRender, c *model.AccountConnection) { d.int(c.TotalCount) })},
		}},
		"AccountEdge": {accountEdgeImplementors, map[string]directFieldDef{
			"cursor": {"", "obj.Cursor", leaf(func(d *directRender, e *model.AccountEdge) { d.string(e.Cursor) })},
			"node": {"Account", "obj.Node", field(func(d *directRender, e *model.AccountEdge, f *directField) error {
				return requiredObject(d, f, e.Node, nil)
			})},
		}},
		"PageInfo": {pageInfoImplementors, map[string]directFieldDef{
			"hasNextPage": {"", "obj.HasNextPage", leaf(func(d *directRender, p *model.PageInfo) { d.bool(p.HasNextPage) })},
			"endCursor":   {"", "obj.EndCursor", leaf(func(d *directRender, p *model.PageInfo) { d.optString(p.EndCursor) })},
		}},
		"Account": {accountImplementors, map[string]directFieldDef{
			"id":   {"", "obj.ID", leaf(func(d *directRender, a *models.Account) { d.string(a.ID) })},
			"name": {"", "obj.Name", leaf(func(d *directRender, a *models.Account) { d.string(a.Name) })},
			"integrationTypes": {"", "obj.IntegrationTypes", leaf(func(d *directRender, a *models.Account) {
				d.buf.WriteByte('[')
				for i, s := range a.IntegrationTypes {
					if i > 0 {
						d.buf.WriteByte(',')
					}
					d.string(s)
				}
				d.buf.WriteByte(']')
			})},
			"createdAt":         {"", "obj.CreatedAt", field(func(d *directRender, a *models.Account, _ *directField) error { return d.time(a.CreatedAt) })},
			"launchRequestedAt": {"", "obj.LaunchRequestedAt", leaf(func(d *directRender, a *models.Account) { d.optTime(a.LaunchRequestedAt) })},
			"contactInfo": {"ContactInfo", "Resolvers.Account().ContactInfo", field(func(d *directRender, a *models.Account, f *directField) error {
				ci, err := d.account.ContactInfo(d.ctx, a)
				return requiredObject(d, f, ci, err)
			})},
			"accessGate": {"AccessGate", "Resolvers.Account().AccessGate", field(func(d *directRender, a *models.Account, f *directField) error {
				var env models.Environment
				if err := env.UnmarshalGQL(f.args["environment"]); err != nil {
					return err
				}
				g, err := d.account.AccessGate(d.ctx, a, env)
				return requiredObject(d, f, g, err)
			})},
			"members": {"Member", "Resolvers.Account().Members", field(func(d *directRender, a *models.Account, f *directField) error {
				ms, err := d.account.Members(d.ctx, a)
				if err != nil {
					return err
				}
				return objects(d, f, ms)
			})},
		}},
		"AccessGate": {accessGateImplementors, accessGateFields()},
		"ContactInfo": {contactInfoImplementors, map[string]directFieldDef{
			"version":                   {"", "obj.Version", leaf(func(d *directRender, c *models.ContactInfo) { d.int(c.Version) })},
			"merchantIssuesRequirement": {"", "obj.MerchantIssuesRequirement", leaf(func(d *directRender, c *models.ContactInfo) { d.enum(c.MerchantIssuesRequirement) })},
			"updatedAt":                 {"", "obj.UpdatedAt", leaf(func(d *directRender, c *models.ContactInfo) { d.optTime(c.UpdatedAt) })},
			"reviewedAt": {"", "obj.ReviewedAt", field(func(d *directRender, c *models.ContactInfo, _ *directField) error {
				return d.time(c.ReviewedAt)
			})},
			"reviewDueAt": {"", "Resolvers.ContactInfo().ReviewDueAt", field(func(d *directRender, c *models.ContactInfo, _ *directField) error {
				t, err := d.contactInfo.ReviewDueAt(d.ctx, c)
				if err != nil || t == nil {
					return errNotDirect
				}
				return d.time(*t)
			})},
			"warningCodes": {"", "Resolvers.ContactInfo().WarningCodes", field(func(d *directRender, c *models.ContactInfo, _ *directField) error {
				codes, err := d.contactInfo.WarningCodes(d.ctx, c)
				if err != nil {
					return err
				}
				enumList(d, codes)
				return nil
			})},
			"alertContacts": {"User", "Resolvers.ContactInfo().AlertContacts", field(func(d *directRender, c *models.ContactInfo, f *directField) error {
				us, err := d.contactInfo.AlertContacts(d.ctx, c)
				if err != nil {
					return err
				}
				return objects(d, f, us)
			})},
			"technicalEmergency":    {"Contact", "Resolvers.ContactInfo().TechnicalEmergency", directContacts(func(r ContactInfoResolver) contactsResolver { return r.TechnicalEmergency })},
			"technicalNonEmergency": {"Contact", "Resolvers.ContactInfo().TechnicalNonEmergency", directContacts(func(r ContactInfoResolver) contactsResolver { return r.TechnicalNonEmergency })},
			"merchantIssues":        {"Contact", "Resolvers.ContactInfo().MerchantIssues", directContacts(func(r ContactInfoResolver) contactsResolver { return r.MerchantIssues })},
			"operationalForGoogle":  {"Contact", "Resolvers.ContactInfo().OperationalForGoogle", directContacts(func(r ContactInfoResolver) contactsResolver { return r.OperationalForGoogle })},
			"operationalForUsers": {"Contact", "Resolvers.ContactInfo().OperationalForUsers", field(func(d *directRender, c *models.ContactInfo, f *directField) error {
				ct, err := d.contactInfo.OperationalForUsers(d.ctx, c)
				return optObject(d, f, ct, err)
			})},
			"operationalSupport": {"SupportHours", "obj.OperationalSupport", field(func(d *directRender, c *models.ContactInfo, f *directField) error {
				return optObject(d, f, c.OperationalSupport, nil)
			})},
			"updatedBy": {"User", "Resolvers.ContactInfo().UpdatedBy", field(func(d *directRender, c *models.ContactInfo, f *directField) error {
				u, err := d.contactInfo.UpdatedBy(d.ctx, c)
				return optObject(d, f, u, err)
			})},
		}},
		"Contact": {contactImplementors, map[string]directFieldDef{
			"name":  {"", "obj.Name", leaf(func(d *directRender, c *models.Contact) { d.optString(c.Name) })},
			"email": {"", "obj.Email", leaf(func(d *directRender, c *models.Contact) { d.string(c.Email) })},
			"phone": {"", "obj.Phone", leaf(func(d *directRender, c *models.Contact) { d.optString(c.Phone) })},
			"reachability": {"Reachability", "Resolvers.Contact().Reachability", field(func(d *directRender, c *models.Contact, f *directField) error {
				rc, err := d.contact.Reachability(d.ctx, c)
				return optObject(d, f, rc, err)
			})},
		}},
		"Reachability": {reachabilityImplementors, map[string]directFieldDef{
			"email":  {"", "obj.Email", leaf(func(d *directRender, r *models.Reachability) { d.string(r.Email) })},
			"state":  {"", "obj.State", leaf(func(d *directRender, r *models.Reachability) { d.enum(r.State) })},
			"since":  {"", "obj.Since", field(func(d *directRender, r *models.Reachability, _ *directField) error { return d.time(r.Since) })},
			"detail": {"", "obj.Detail", leaf(func(d *directRender, r *models.Reachability) { d.optString(r.Detail) })},
		}},
		"Member": {memberImplementors, map[string]directFieldDef{
			"role":      {"", "obj.Role", leaf(func(d *directRender, m *models.Member) { d.enum(m.Role) })},
			"createdAt": {"", "obj.CreatedAt", field(func(d *directRender, m *models.Member, _ *directField) error { return d.time(m.CreatedAt) })},
			"user": {"User", "Resolvers.Member().User", field(func(d *directRender, m *models.Member, f *directField) error {
				u, err := d.member.User(d.ctx, m)
				return requiredObject(d, f, u, err)
			})},
		}},
		"User": {userImplementors, map[string]directFieldDef{
			"id":       {"", "obj.ID", leaf(func(d *directRender, u *models.User) { d.string(u.ID) })},
			"email":    {"", "obj.Email", leaf(func(d *directRender, u *models.User) { d.string(u.Email) })},
			"name":     {"", "obj.Name", leaf(func(d *directRender, u *models.User) { d.optString(u.Name) })},
			"language": {"", "obj.Locale", leaf(func(d *directRender, u *models.User) { d.string(u.Locale) })},
		}},
		"SupportHours": {supportHoursImplementors, map[string]directFieldDef{
			"alwaysOpen": {"", "obj.AlwaysOpen", leaf(func(d *directRender, h *models.SupportHours) { d.bool(h.AlwaysOpen) })},
			"windows": {"SupportWindow", "obj.Windows", field(func(d *directRender, h *models.SupportHours, f *directField) error {
				d.buf.WriteByte('[')
				for i := range h.Windows {
					if i > 0 {
						d.buf.WriteByte(',')
					}
					if err := d.object(f.child, &h.Windows[i]); err != nil {
						return err
					}
				}
				d.buf.WriteByte(']')
				return nil
			})},
			"openNow": {"", "Resolvers.SupportHours().OpenNow", field(func(d *directRender, h *models.SupportHours, _ *directField) error {
				open, err := d.supportHours.OpenNow(d.ctx, h)
				d.bool(open)
				return err
			})},
			"nextChange": {"", "Resolvers.SupportHours().NextChange", field(func(d *directRender, h *models.SupportHours, _ *directField) error {
				t, err := d.supportHours.NextChange(d.ctx, h)
				d.optTime(t)
				return err
			})},
		}},
		"SupportWindow": {supportWindowImplementors, map[string]directFieldDef{
			"days":     {"", "obj.Days", leaf(func(d *directRender, w *models.SupportWindow) { enumList(d, w.Days) })},
			"opens":    {"", "obj.Opens", leaf(func(d *directRender, w *models.SupportWindow) { d.string(w.Opens) })},
			"closes":   {"", "obj.Closes", leaf(func(d *directRender, w *models.SupportWindow) { d.string(w.Closes) })},
			"timeZone": {"", "obj.TimeZone", leaf(func(d *directRender, w *models.SupportWindow) { d.string(w.TimeZone) })},
		}},
	}
}

type contactsResolver func(context.Context, *models.ContactInfo) ([]*models.Contact, error)

func directContacts(pick func(ContactInfoResolver) contactsResolver) directWriter {
	return field(func(d *directRender, c *models.ContactInfo, f *directField) error {
		cs, err := pick(d.contactInfo)(d.ctx, c)
		if err != nil {
			return err
		}
		return objects(d, f, cs)
	})
}

// accessGateFields are AccessGate's writers, shared with the direct gate
// query (DirectGate).
func accessGateFields() map[string]directFieldDef {
	return map[string]directFieldDef{
		"environment": {"", "obj.Environment", leaf(func(d *directRender, g *models.AccessGate) { d.enum(g.Environment) })},
		"locked":      {"", "obj.Locked", leaf(func(d *directRender, g *models.AccessGate) { d.bool(g.Locked) })},
		"missing":     {"", "obj.Missing", leaf(func(d *directRender, g *models.AccessGate) { enumList(d, g.Missing) })},
		"reviewDueAt": {"", "Resolvers.AccessGate().ReviewDueAt", field(func(d *directRender, g *models.AccessGate, _ *directField) error {
			t, err := d.accessGate.ReviewDueAt(d.ctx, g)
			if err != nil || t == nil {
				return errNotDirect
			}
			return d.time(*t)
		})},
		"reviewOverdue": {"", "Resolvers.AccessGate().ReviewOverdue", field(func(d *directRender, g *models.AccessGate, _ *directField) error {
			b, err := d.accessGate.ReviewOverdue(d.ctx, g)
			d.bool(b)
			return err
		})},
		"reviewLocked": {"", "Resolvers.AccessGate().ReviewLocked", field(func(d *directRender, g *models.AccessGate, _ *directField) error {
			b, err := d.accessGate.ReviewLocked(d.ctx, g)
			d.bool(b)
			return err
		})},
		"reviewLocksAt": {"", "Resolvers.AccessGate().ReviewLocksAt", field(func(d *directRender, g *models.AccessGate, _ *directField) error {
			t, err := d.accessGate.ReviewLocksAt(d.ctx, g)
			d.optTime(t)
			return err
		})},
	}
}
