package workspace

import (
	"fmt"

	"github.com/gofiber/fiber/v2"

	"github.com/consulta/consulta/internal/auth"
	"github.com/consulta/consulta/internal/consulta"
)

type usersData struct {
	Users  []*consulta.User
	Roles  []option
	In     auth.NewUser
	Errors []string
}

func (w *Workspace) usersPage(c *fiber.Ctx) error {
	return w.showUsers(c, fiber.StatusOK, auth.NewUser{Role: auth.RoleFacilitator}, nil)
}

func (w *Workspace) showUsers(c *fiber.Ctx, status int, in auth.NewUser, errs []string) error {
	p := w.newPage(c, "admin.users.title")
	ctx, cancel := reqCtx(c)
	defer cancel()
	users, err := w.deps.Store.Users(ctx)
	if err != nil {
		return err
	}
	var roles []option
	for _, r := range auth.Roles() {
		roles = append(roles, option{r, p.Role(r)})
	}
	in.Password = ""
	return w.render(c, status, "users", p, usersData{Users: users, Roles: roles, In: in, Errors: errs})
}

// createUser adds an account (admins only).
func (w *Workspace) createUser(c *fiber.Ctx) error {
	in := auth.NewUser{Email: c.FormValue("email"), Name: c.FormValue("name"), Role: c.FormValue("role"),
		Org: c.FormValue("org"), Password: c.FormValue("password")}
	ctx, cancel := reqCtx(c)
	defer cancel()
	u, err := w.deps.Auth.AddUser(ctx, in)
	if fields := consulta.FieldErrors(err); len(fields) > 0 {
		return w.showUsers(c, fiber.StatusUnprocessableEntity, in, fieldMessages(w.newPage(c, ""), fields))
	}
	if consulta.ErrorCode(err) == consulta.ECONFLICT {
		return w.showUsers(c, fiber.StatusConflict, in, []string{w.newPage(c, "").T("admin.field.email_taken")})
	}
	if err != nil {
		return err
	}
	_ = w.audit(c, "user.create", u.ID, fmt.Sprintf("role=%s org=%s", u.Role, u.Org))
	return redirect(c, "/admin/users?notice=n_user_created")
}

// updateUser changes an account's role, organisation or disabled flag. An
// admin cannot demote or disable themselves (the workspace would lose its
// last admin by accident).
func (w *Workspace) updateUser(c *fiber.Ctx) error {
	id := c.Params("id")
	ctx, cancel := reqCtx(c)
	defer cancel()
	prev, err := w.deps.Store.User(ctx, id)
	if err != nil {
		return err
	}
	role, org, disabled := c.FormValue("role"), c.FormValue("org"), c.FormValue("disabled") == "1"
	if id == user(c).ID && (role != auth.RoleAdmin || disabled) {
		return w.showUsers(c, fiber.StatusUnprocessableEntity, auth.NewUser{Role: auth.RoleFacilitator},
			[]string{w.newPage(c, "").T("admin.field.self_demote")})
	}
	err = w.deps.Auth.UpdateAccess(ctx, id, c.FormValue("name", prev.Name), role, org, disabled)
	if fields := consulta.FieldErrors(err); len(fields) > 0 {
		return w.showUsers(c, fiber.StatusUnprocessableEntity, auth.NewUser{Role: auth.RoleFacilitator}, fieldMessages(w.newPage(c, ""), fields))
	}
	if err != nil {
		return err
	}
	if err := w.setReplies(c, prev, role, c.FormValue("replies") == "1"); err != nil {
		return err
	}
	_ = w.audit(c, "user.update", id, fmt.Sprintf("role=%s→%s org=%s→%s disabled=%t→%t",
		prev.Role, role, prev.Org, org, prev.Disabled, disabled))
	return redirect(c, "/admin/users?notice=n_saved")
}

// resetPassword sets another user's password (admins only): for someone who
// forgot theirs. The password rules apply, the user is signed out
// everywhere, and the audit log records who reset whose password. An admin
// changes their own on /admin/password, which asks for the current one.
func (w *Workspace) resetPassword(c *fiber.Ctx) error {
	id := c.Params("id")
	p := w.newPage(c, "")
	if id == user(c).ID {
		return w.showUsers(c, fiber.StatusUnprocessableEntity, auth.NewUser{Role: auth.RoleFacilitator},
			[]string{p.T("admin.users.reset_self")})
	}
	if c.FormValue("password") != c.FormValue("confirm") {
		return w.showUsers(c, fiber.StatusUnprocessableEntity, auth.NewUser{Role: auth.RoleFacilitator},
			[]string{p.T("admin.field.mismatch")})
	}
	ctx, cancel := reqCtx(c)
	defer cancel()
	if _, err := w.deps.Store.User(ctx, id); err != nil {
		return err
	}
	err := w.deps.Auth.SetPassword(ctx, id, c.FormValue("password"))
	if fields := consulta.FieldErrors(err); len(fields) > 0 {
		return w.showUsers(c, fiber.StatusUnprocessableEntity, auth.NewUser{Role: auth.RoleFacilitator}, fieldMessages(p, fields))
	}
	if err != nil {
		return err
	}
	_ = w.audit(c, "user.password.reset", id, "")
	return redirect(c, "/admin/users?notice=n_password_reset")
}
